import Glibc

/// Thin wrappers over the system calls the corpus needs, each turning a failure into a
/// `CorpusError.system` that names the operation, the path and errno. Kept internal: the
/// corpus is the only writer of its folder.
enum Posix {
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644, operation: String = "open") throws(CorpusError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw .system(operation: operation, path: path, errno: errno)
        }
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Writes all of `bytes`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(CorpusError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(operation: "write", path: path, errno: errno)
            }
            if n == 0 { throw .system(operation: "write", path: path, errno: EIO) }
            offset += n
        }
    }

    static func fsync(_ fd: Int32, path: String) throws(CorpusError) {
        while Glibc.fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw .system(operation: "fsync", path: path, errno: errno)
        }
    }

    /// fsync of a directory, so renames and creations in it survive a power cut.
    static func fsyncDirectory(_ path: String) throws(CorpusError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: path)
    }

    /// Moves `from` to `to` without ever replacing an existing file, so a corpus file can never
    /// be overwritten even if the numbering were wrong: `link` fails with EEXIST where `rename`
    /// would replace. (A crash between the link and the unlink leaves a `.tmp-*` name that the
    /// next start removes.) Filesystems without hard links fall back to a checked rename, safe
    /// under the corpus lock.
    static func renameNoReplace(_ from: String, _ to: String) throws(CorpusError) {
        if link(from, to) == 0 {
            _ = unlink(from)
            return
        }
        let code = errno
        guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP || code == EXDEV else {
            throw .system(operation: "rename \(from) to", path: to, errno: code)
        }
        if exists(to) { throw .system(operation: "rename \(from) to", path: to, errno: EEXIST) }
        if rename(from, to) != 0 { throw .system(operation: "rename \(from) to", path: to, errno: errno) }
    }

    /// Removes a file; true when there was one.
    @discardableResult
    static func unlinkIfPresent(_ path: String) -> Bool {
        unlink(path) == 0
    }

    static func fileSize(_ fd: Int32, path: String) throws(CorpusError) -> Int {
        var info = stat()
        if fstat(fd, &info) != 0 { throw .system(operation: "stat", path: path, errno: errno) }
        return Int(info.st_size)
    }

    /// `stat`, or nil when the path does not exist.
    static func statPath(_ path: String) throws(CorpusError) -> Glibc.stat? {
        var info = Glibc.stat()
        if fstatat(AT_FDCWD, path, &info, 0) == 0 { return info }
        if errno == ENOENT { return nil }
        throw .system(operation: "stat", path: path, errno: errno)
    }

    static func exists(_ path: String) -> Bool {
        var info = Glibc.stat()
        return fstatat(AT_FDCWD, path, &info, 0) == 0
    }

    /// Reads the whole file, refusing files larger than `limit` bytes.
    static func readFile(_ path: String, limit: Int = 512 << 20) throws(CorpusError) -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        let size = try fileSize(fd, path: path)
        if size > limit { throw .system(operation: "read", path: path, errno: EFBIG) }
        return try readRange(fd, from: 0, count: size, path: path, toEnd: true)
    }

    /// Reads `count` bytes at `from` (or to the end of the file when `toEnd`, which tolerates a
    /// file that grew since it was measured).
    static func readRange(_ fd: Int32, from: Int, count: Int, path: String, toEnd: Bool = false) throws(CorpusError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max(count, 0))
        var filled = 0
        while filled < buffer.count {
            let n = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + filled, raw.count - filled, off_t(from + filled))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(operation: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            filled += n
        }
        if filled < buffer.count { buffer.removeLast(buffer.count - filled) }
        if toEnd {
            // Pick up bytes appended after the size was taken.
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = chunk.withUnsafeMutableBytes { raw in pread(fd, raw.baseAddress!, raw.count, off_t(from + filled)) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .system(operation: "read", path: path, errno: errno)
                }
                if n == 0 { break }
                buffer.append(contentsOf: chunk[0..<n])
                filled += n
            }
        }
        return buffer
    }

    static func truncate(_ fd: Int32, to size: Int, path: String) throws(CorpusError) {
        while ftruncate(fd, off_t(size)) != 0 {
            if errno == EINTR { continue }
            throw .system(operation: "truncate", path: path, errno: errno)
        }
    }

    /// The names in a directory (without `.` and `..`).
    static func listDirectory(_ path: String) throws(CorpusError) -> [String] {
        guard let dir = opendir(path) else { throw .system(operation: "list", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    /// mkdir -p.
    static func makeDirectories(_ path: String) throws(CorpusError) {
        if let info = try statPath(path) {
            if info.st_mode & S_IFMT != S_IFDIR { throw .notADirectory(path: path) }
            return
        }
        var parent = path
        while parent.hasSuffix("/") && parent.count > 1 { parent.removeLast() }
        if let slash = parent.lastIndex(of: "/"), slash != parent.startIndex {
            try makeDirectories(String(parent[..<slash]))
        }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw .system(operation: "create the directory", path: path, errno: errno)
        }
    }

    /// Seconds since the epoch of the file's modification time.
    static func modificationTime(_ path: String) -> Int? {
        var info = Glibc.stat()
        guard fstatat(AT_FDCWD, path, &info, 0) == 0 else { return nil }
        return Int(info.st_mtim.tv_sec)
    }
}

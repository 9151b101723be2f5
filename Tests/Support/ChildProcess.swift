import Foundation
import Glibc

/// What a child process did.
public struct ChildResult: Sendable {
    /// The exit status, or 128 + the signal that ended it.
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// The child's peak resident set size (`ru_maxrss`), in bytes.
    public var peakRSSBytes: Int64
    /// It was killed at the deadline.
    public var timedOut: Bool
}

/// A started child process. Its signal mask and dispositions are reset at spawn: threads of a
/// Swift process block most signals, and a child inheriting that mask would ignore SIGTERM.
public final class SpawnedProcess: Sendable {
    public let pid: pid_t
    let outPath: String
    let errPath: String
    let directory: URL
    private let reaped = Locked<ChildResult?>(nil)

    init(pid: pid_t, outPath: String, errPath: String, directory: URL) {
        self.pid = pid
        self.outPath = outPath
        self.errPath = errPath
        self.directory = directory
    }

    /// Sends a signal (SIGTERM by default).
    public func signal(_ signal: Int32 = SIGTERM) {
        if reaped.current == nil { kill(pid, signal) }
    }

    /// Waits for the end (SIGKILL at the deadline) and collects output and peak memory.
    @discardableResult
    public func wait(timeout: Duration = .seconds(120)) -> ChildResult {
        if let done = reaped.current { return done }
        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        let deadline = ContinuousClock.now + timeout
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if ContinuousClock.now > deadline && !timedOut {
                timedOut = true
                kill(pid, SIGKILL)
            }
            usleep(2_000)
        }
        let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: directory)
        let result = ChildResult(status: exitStatus, stdout: out, stderr: err,
                                 peakRSSBytes: Int64(usage.ru_maxrss) * 1024, timedOut: timedOut)
        reaped.withLock { $0 = result }
        return result
    }

    /// Waits like `wait(timeout:)`, on a thread of its own, so the awaiting task leaves the
    /// cooperative pool free for other tests.
    public func finished(timeout: Duration = .seconds(120)) async -> ChildResult {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.wait(timeout: timeout)) }
        }
    }

    /// SIGTERM, a moment's grace, SIGKILL; then reaped.
    public func stop() {
        signal(SIGTERM)
        let grace = ContinuousClock.now + .seconds(2)
        while reaped.current == nil && ContinuousClock.now < grace {
            var status: Int32 = 0
            var usage = rusage()
            if wait4(pid, &status, WNOHANG, &usage) == pid {
                try? FileManager.default.removeItem(at: directory)
                reaped.withLock { $0 = ChildResult(status: status, stdout: "", stderr: "", peakRSSBytes: 0, timedOut: false) }
                return
            }
            usleep(5_000)
        }
        signal(SIGKILL)
        wait(timeout: .seconds(5))
    }
}

/// Runs programs with output captured (to files: no pipe can fill up) and peak memory measured —
/// for memory bounds (a gzip bomb must not take the process past N MB) and for scenarios that must
/// run in a process of their own (a network namespace).
public enum ChildProcess {
    /// Runs to completion.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           directory: String? = nil, timeout: Duration = .seconds(120)) throws(TestServerError) -> ChildResult {
        try start(executable, arguments, environment: environment, directory: directory).wait(timeout: timeout)
    }

    /// Runs to completion without holding a thread of the cooperative pool while it waits (the pool
    /// has one thread per core — two here — and a test blocked in `wait` starves every other test).
    public static func execute(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                               directory: String? = nil, timeout: Duration = .seconds(120)) async throws(TestServerError) -> ChildResult {
        try await start(executable, arguments, environment: environment, directory: directory).finished(timeout: timeout)
    }

    /// Starts in the background.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                             directory: String? = nil) throws(TestServerError) -> SpawnedProcess {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-child-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw .socket("cannot create \(dir.path): \(error)")
        }
        let outPath = dir.appendingPathComponent("stdout").path
        let errPath = dir.appendingPathComponent("stderr").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        // A working directory through the shell: glibc's addchdir is not visible from Swift.
        let command = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0, executable] + arguments }
            ?? [executable] + arguments
        let argv = command.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            try? FileManager.default.removeItem(at: dir)
            throw .socket("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        return SpawnedProcess(pid: pid, outPath: outPath, errPath: errPath, directory: dir)
    }

    /// The directory of the running executable (test bundle or tool): where `swift build` puts the
    /// package's other executables.
    public static var buildDirectory: URL {
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
            dir.deleteLastPathComponent()
        }
        return dir
    }
}

/// A private network for one child process: `unshare --net --mount` gives it a loopback of its
/// own (nothing it does can leave the machine), extra addresses on `lo` (so 169.254.169.254 or
/// 10.1.2.3 are real, reachable, and local), and an `/etc/hosts` of its own bind-mounted over the
/// real one (so names resolve to them). Needs root or unprivileged user namespaces.
public struct IsolatedNetwork: Sendable {
    /// Addresses to add to `lo`, e.g. `169.254.169.254`.
    public var addresses: [String]
    /// Host names and what they resolve to.
    public var hosts: [(name: String, address: String)]

    public init(addresses: [String] = [], hosts: [(name: String, address: String)] = []) {
        self.addresses = addresses
        self.hosts = hosts
    }

    /// Runs `executable ARGS` inside the private network, waiting off the cooperative pool.
    public func execute(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120))
        async throws(TestServerError) -> ChildResult {
        let (hostsFile, command) = try prepare(executable, arguments)
        defer { try? FileManager.default.removeItem(at: hostsFile) }
        return try await ChildProcess.execute(command[0], Array(command.dropFirst()), timeout: timeout)
    }

    /// Runs `executable ARGS` inside the private network.
    public func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(120))
        throws(TestServerError) -> ChildResult {
        let (hostsFile, command) = try prepare(executable, arguments)
        defer { try? FileManager.default.removeItem(at: hostsFile) }
        return try ChildProcess.run(command[0], Array(command.dropFirst()), timeout: timeout)
    }

    /// Writes the private hosts file and builds the `unshare` command that sets up the network.
    private func prepare(_ executable: String, _ arguments: [String]) throws(TestServerError) -> (URL, [String]) {
        let hostsFile = FileManager.default.temporaryDirectory.appendingPathComponent("khabar-hosts-\(UUID().uuidString)")
        var text = "127.0.0.1 localhost\n::1 localhost\n"
        for h in hosts { text += "\(h.address) \(h.name)\n" }
        do {
            try text.write(to: hostsFile, atomically: true, encoding: .utf8)
        } catch {
            throw .socket("cannot write \(hostsFile.path): \(error)")
        }
        var script = "set -e; ip link set lo up"
        for a in addresses {
            let prefix = a.contains(":") ? "/128" : "/32"
            script += "; ip addr add \(a)\(a.contains("/") ? "" : prefix) dev lo"
        }
        script += "; mount --bind \(hostsFile.path) /etc/hosts; exec \"$0\" \"$@\""
        return (hostsFile, ["unshare", "--net", "--mount", "sh", "-c", script, executable] + arguments)
    }
}

import KhabarText

/// A paragraph-level diff of two corpus texts (`khabar diff`): which paragraphs an article's
/// revision kept, removed, added, or only respelled.
public enum ParagraphDiff {
    public enum Line: Equatable, Sendable {
        case same(String)
        case removed(String)
        case added(String)
        /// Changed only in what `ScriptFold` folds away (spacing, ZWNJ, tatweel, digit forms,
        /// letter variants): shown apart so real edits stand out.
        case respelled(old: String, new: String)
    }

    /// Counts for a summary line.
    public struct Summary: Equatable, Sendable {
        public var same = 0, removed = 0, added = 0, respelled = 0
        public var isIdentical: Bool { removed == 0 && added == 0 && respelled == 0 }
    }

    /// The paragraphs (lines) of a text, without the final newline.
    public static func paragraphs(_ text: String) -> [String] {
        var body = Substring(text)
        if body.hasSuffix("\n") { body = body.dropLast() }
        if body.isEmpty { return [] }
        return body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The diff of `old` and `new` (as paragraph lists). Equality is byte equality.
    public static func diff(_ old: [String], _ new: [String]) -> [Line] {
        // Compare by ids of the exact UTF-8 (Swift's String == is canonical equivalence).
        var ids: [[UInt8]: Int] = [:]
        func id(_ s: String) -> Int {
            let key = Array(s.utf8)
            if let known = ids[key] { return known }
            let next = ids.count
            ids[key] = next
            return next
        }
        let a = old.map(id), b = new.map(id)
        let script = editScript(a, b)
        var lines: [Line] = []
        var i = 0, j = 0
        var pendingRemoved: [String] = [], pendingAdded: [String] = []
        func flush() {
            // Pair removed and added paragraphs of one block that fold to the same text.
            var addedByFold: [[UInt8]: [Int]] = [:]
            for (k, paragraph) in pendingAdded.enumerated() {
                addedByFold[Array(ScriptFold.fold(paragraph).utf8), default: []].append(k)
            }
            var paired = Set<Int>()
            for old in pendingRemoved {
                let key = Array(ScriptFold.fold(old).utf8)
                if var candidates = addedByFold[key], !candidates.isEmpty {
                    let k = candidates.removeFirst()
                    addedByFold[key] = candidates
                    paired.insert(k)
                    lines.append(.respelled(old: old, new: pendingAdded[k]))
                } else {
                    lines.append(.removed(old))
                }
            }
            for (k, paragraph) in pendingAdded.enumerated() where !paired.contains(k) {
                lines.append(.added(paragraph))
            }
            pendingRemoved = []
            pendingAdded = []
        }
        for op in script {
            switch op {
            case .keep:
                flush()
                lines.append(.same(old[i]))
                i += 1
                j += 1
            case .delete:
                pendingRemoved.append(old[i])
                i += 1
            case .insert:
                pendingAdded.append(new[j])
                j += 1
            }
        }
        flush()
        return lines
    }

    public static func summary(_ lines: [Line]) -> Summary {
        var s = Summary()
        for line in lines {
            switch line {
            case .same: s.same += 1
            case .removed: s.removed += 1
            case .added: s.added += 1
            case .respelled: s.respelled += 1
            }
        }
        return s
    }

    /// Renders the diff: `- ` removed, `+ ` added, `~ ` respelled (old then new), `  ` kept;
    /// runs of kept paragraphs longer than `2 × context + 1` are elided to `  … N unchanged
    /// paragraphs`.
    public static func render(_ lines: [Line], oldName: String, newName: String, context: Int = 1) -> String {
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var index = 0
        while index < lines.count {
            if case .same = lines[index] {
                var end = index
                while end < lines.count, case .same = lines[end] { end += 1 }
                let run = end - index
                let head = index == 0 ? 0 : context
                let tail = end == lines.count ? 0 : context
                if run > head + tail + 1 {
                    for k in index..<(index + head) { out += "  \(text(of: lines[k]))\n" }
                    out += "  … \(run - head - tail) unchanged paragraph\(run - head - tail == 1 ? "" : "s")\n"
                    for k in (end - tail)..<end { out += "  \(text(of: lines[k]))\n" }
                } else {
                    for k in index..<end { out += "  \(text(of: lines[k]))\n" }
                }
                index = end
                continue
            }
            switch lines[index] {
            case .removed(let s): out += "- \(s)\n"
            case .added(let s): out += "+ \(s)\n"
            case .respelled(let old, let new): out += "~ \(old)\n~ \(new)\n"
            case .same: break
            }
            index += 1
        }
        return out
    }

    private static func text(of line: Line) -> String {
        switch line {
        case .same(let s), .removed(let s), .added(let s): return s
        case .respelled(_, let new): return new
        }
    }

    // MARK: - Myers' O(ND) shortest edit script

    enum Op { case keep, delete, insert }

    /// Beyond this many edits the diff gives up on finding the shortest script and reports the
    /// rest as removed-then-added (bounds time and memory on hostile input).
    static let maximumEdits = 2_000

    static func editScript(_ a: [Int], _ b: [Int]) -> [Op] {
        // Common prefix and suffix first: revisions usually touch a few paragraphs.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let x = Array(a[prefix..<(a.count - suffix)]), y = Array(b[prefix..<(b.count - suffix)])
        var ops = [Op](repeating: .keep, count: prefix)
        ops += myers(x, y)
        ops += [Op](repeating: .keep, count: suffix)
        return ops
    }

    private static func myers(_ a: [Int], _ b: [Int]) -> [Op] {
        let n = a.count, m = b.count
        if n == 0 { return [Op](repeating: .insert, count: m) }
        if m == 0 { return [Op](repeating: .delete, count: n) }
        let limit = min(n + m, maximumEdits)
        let offset = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...limit {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m {
                    found = true
                    break outer
                }
                k += 2
            }
        }
        guard found else {
            return [Op](repeating: .delete, count: n) + [Op](repeating: .insert, count: m)
        }
        // Walk the trace back.
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let saved = trace[d]  // v before step d, indices k in -(d+1)...(d+1)
            func at(_ k: Int) -> Int { saved[k + d + 1] }
            let k = x - y
            let previousK: Int
            if d == 0 {
                while x > 0 && y > 0 {
                    ops.append(.keep)
                    x -= 1
                    y -= 1
                }
                break
            }
            if k == -d || (k != d && at(k - 1) < at(k + 1)) {
                previousK = k + 1
            } else {
                previousK = k - 1
            }
            let previousX = at(previousK)
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                ops.append(.keep)
                x -= 1
                y -= 1
            }
            if x == previousX {
                ops.append(.insert)
            } else {
                ops.append(.delete)
            }
            x = previousX
            y = previousY
        }
        return ops.reversed()
    }
}

import Foundation

/// A fixed set of threads for work that blocks: HTML extraction (CPU for tens of milliseconds),
/// corpus appends (`flock` and three `fsync`s), SQLite writes (a busy timeout while another
/// process writes). Swift concurrency's cooperative pool has one thread per core; a task that
/// blocks one of them stalls every other task — fetches, timers, the watchdog — so blocking work
/// is handed here and the task awaits it without holding a thread.
///
/// A job that has not started yet when its task is cancelled still runs (jobs are short and the
/// caller decides what a late result means); the pool never interrupts a job half way, which is
/// what keeps an append whole when the daemon stops.
public final class BlockingPool: @unchecked Sendable {
    // @unchecked: `queue`, `closed` and `threads` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var queue: [() -> Void] = []
    private var head = 0
    private var closed = false
    public let threadCount: Int
    public let name: String

    /// Starts `threads` threads (at least one) named `name`.
    public init(threads: Int, name: String) {
        threadCount = max(1, threads)
        self.name = name
        for i in 0..<threadCount {
            let thread = Thread { [self] in self.work() }
            thread.name = "\(name)-\(i)"
            thread.stackSize = 4 << 20   // libxml2 and the extractor recurse on deep pages
            thread.start()
        }
    }

    /// Runs `body` on one of the pool's threads and returns its result. After `shutdown()`, runs
    /// it on the caller's thread instead (so nothing is lost on the way out).
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let job = { continuation.resume(returning: body()) }
            condition.lock()
            if closed {
                condition.unlock()
                job()
                return
            }
            queue.append(job)
            condition.signal()
            condition.unlock()
        }
    }

    /// Jobs waiting for a thread.
    public var backlog: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count - head
    }

    /// Lets queued jobs finish, then ends the threads. Later `run` calls run inline.
    public func shutdown() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == queue.count && !closed { condition.wait() }
            if head == queue.count {
                condition.unlock()
                return
            }
            let job = queue[head]
            head += 1
            if head > 64 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}

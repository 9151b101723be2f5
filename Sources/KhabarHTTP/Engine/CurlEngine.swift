import CCurl
import Foundation

/// `curl_global_init` once per process, before the first handle.
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    /// Keeps glibc from handing freed heap memory back to the kernel after every page.
    ///
    /// Bodies of tens of KB are allocated on the loop thread and freed on others, thousands of
    /// times a minute; with glibc's default 128 KiB trim threshold the arena shrinks after nearly
    /// every free and the next body faults its pages in again (measured on the benchmark: ~6 page
    /// faults per page, a quarter of the client's CPU). A 64 MiB threshold keeps that memory for
    /// reuse; bodies up to 8 MiB (beyond `max_page_bytes`) come from the arenas instead of a fresh
    /// mmap each. Process-wide and set once; the cost is at most that much freed memory kept.
    static let allocatorTuned: Bool = {
        khabar_tune_malloc(64 << 20, 8 << 20) == 1
    }()
}

/// One thread driving one curl multi handle: every transfer of a client runs here, so connections
/// (and HTTP/2 streams, TLS sessions, the DNS cache) are shared, and no thread waits per request.
///
/// Other threads talk to the loop only through `inbox` (a locked command list) and
/// `curl_multi_wakeup`; the loop alone touches the multi handle, the easy handles and the
/// transfers' buffers.
final class CurlEngine: @unchecked Sendable {
    private enum Command {
        case add(Transfer)
        case cancel(Transfer)
    }

    private struct Inbox {
        var commands: [Command] = []
        /// The loop is in (or about to enter) `curl_multi_poll` with nothing queued: only then does a
        /// new command need a wake-up (a write to libcurl's wake-up socket, and a context switch).
        var polling = false
        var closing = false
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let inbox = Protected(Inbox())
    private let multi: UnsafeMutableRawPointer?
    private let handlePoolSize: Int

    // Loop-thread state.
    private var running: [UInt: Transfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(maxConnections: Int, handlePoolSize: Int, tuneAllocator: Bool) {
        _ = CurlGlobal.initialized
        if tuneAllocator { _ = CurlGlobal.allocatorTuned }
        self.handlePoolSize = handlePoolSize
        multi = curl_multi_init()
        if let multi {
            _ = khabar_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(8, maxConnections))
            _ = khabar_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        }
        let thread = Thread { [self] in self.run() }
        thread.name = "khabar-curl"
        thread.start()
    }

    /// Runs one transfer. Never throws: failures are outcomes. Cancelling the calling task aborts
    /// the transfer at once and frees its handle.
    func perform(_ spec: TransferSpec) async -> TransferOutcome {
        let transfer = Transfer(spec: spec)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.continuation = continuation
                submit(.add(transfer), for: transfer)
            }
        } onCancel: {
            transfer.cancelRequested.withLock { $0 = true }
            submit(.cancel(transfer), for: transfer)
        }
    }

    /// Aborts every transfer (they end `.cancelled`), stops the loop and frees libcurl's handles.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = inbox.withLock { inbox -> Bool in
                inbox.closing = true
                if inbox.exited { return true }
                inbox.exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() } else { wake() }
        }
    }

    /// Asks the loop to stop without waiting (for `deinit`).
    func requestShutdown() {
        inbox.withLock { $0.closing = true }
        wake()
    }

    private func submit(_ command: Command, for transfer: Transfer) {
        let (accepted, mustWake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.closing else { return (false, false) }
            inbox.commands.append(command)
            defer { inbox.polling = false }
            return (true, inbox.polling)
        }
        if accepted {
            if mustWake { wake() }
        } else if case .add = command {
            // The loop is gone or going: nobody else will resume this one.
            transfer.continuation?.resume(returning: .failed(.cancelled))
            transfer.continuation = nil
        }
    }

    private func wake() {
        if let multi { _ = curl_multi_wakeup(multi) }
    }

    // MARK: The loop

    private func run() {
        guard let multi else {
            failEverything()
            return
        }
        var stillRunning: Int32 = 0
        while true {
            let (commands, closing) = inbox.withLock { inbox -> ([Command], Bool) in
                let taken = inbox.commands
                inbox.commands.removeAll(keepingCapacity: true)
                return (taken, inbox.closing)
            }
            for command in commands {
                switch command {
                case .add(let transfer): start(transfer, multi)
                case .cancel(let transfer): cancel(transfer, multi)
                }
            }
            if closing { break }
            _ = curl_multi_perform(multi, &stillRunning)
            collectFinished(multi)
            // Poll only with nothing queued; from here on, a submitter wakes us.
            let idle = inbox.withLock { inbox -> Bool in
                inbox.polling = inbox.commands.isEmpty && !inbox.closing
                return inbox.polling
            }
            guard idle else { continue }
            var ready: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, 1000, &ready)
            inbox.withLock { $0.polling = false }
        }
        for transfer in Array(running.values) { finish(transfer, multi, .failed(.cancelled)) }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
        failEverything()
    }

    /// After the loop: fail whatever is still queued and release the shutdown waiters.
    private func failEverything() {
        let (commands, waiters) = inbox.withLock { inbox -> ([Command], [CheckedContinuation<Void, Never>]) in
            inbox.closing = true
            inbox.exited = true
            let c = inbox.commands, w = inbox.exitWaiters
            inbox.commands = []
            inbox.exitWaiters = []
            return (c, w)
        }
        for case .add(let transfer) in commands {
            transfer.continuation?.resume(returning: .failed(.cancelled))
            transfer.continuation = nil
        }
        for waiter in waiters { waiter.resume() }
    }

    private func start(_ transfer: Transfer, _ multi: UnsafeMutableRawPointer) {
        if transfer.isCancelRequested {
            resume(transfer, .failed(.cancelled))
            return
        }
        guard let handle = idleHandles.popLast() ?? curl_easy_init() else {
            resume(transfer, .failed(.connectionLost("libcurl could not create a handle")))
            return
        }
        guard transfer.configure(handle) else {
            recycle(handle, transfer)
            resume(transfer, .failed(.invalidURL("libcurl refused the request options")))
            return
        }
        guard curl_multi_add_handle(multi, handle) == CURLM_OK else {
            recycle(handle, transfer)
            resume(transfer, .failed(.connectionLost("libcurl refused the transfer")))
            return
        }
        running[UInt(bitPattern: handle)] = transfer
    }

    private func cancel(_ transfer: Transfer, _ multi: UnsafeMutableRawPointer) {
        guard let handle = transfer.easy, running[UInt(bitPattern: handle)] === transfer else { return }
        finish(transfer, multi, .failed(.cancelled))
    }

    private func collectFinished(_ multi: UnsafeMutableRawPointer) {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            // Copy out before removing the handle: the message dies with it.
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let transfer = running[UInt(bitPattern: handle)] else {
                curl_multi_remove_handle(multi, handle)
                curl_easy_cleanup(handle)
                continue
            }
            finish(transfer, multi, transfer.outcome(for: code))
        }
    }

    private func finish(_ transfer: Transfer, _ multi: UnsafeMutableRawPointer, _ outcome: TransferOutcome) {
        if let handle = transfer.easy {
            running.removeValue(forKey: UInt(bitPattern: handle))
            curl_multi_remove_handle(multi, handle)
            recycle(handle, transfer)
        }
        resume(transfer, outcome)
    }

    /// Resets a handle for the next transfer (cheaper than a new one) or frees it.
    private func recycle(_ handle: UnsafeMutableRawPointer, _ transfer: Transfer) {
        if idleHandles.count < handlePoolSize {
            // No `curl_easy_reset`: it would free the receive buffer. The next transfer sets every
            // option that differs; the pointers into this transfer are cleared now.
            _ = khabar_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, nil)
            _ = khabar_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, nil)
            _ = khabar_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, nil)
            _ = khabar_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
            _ = khabar_easy_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, nil)
            _ = khabar_easy_setopt_pointer(handle, CURLOPT_PREREQDATA, nil)
            idleHandles.append(handle)
        } else {
            curl_easy_cleanup(handle)
        }
        // Only now: the handle no longer points at the header list.
        transfer.releaseResources()
    }

    private func resume(_ transfer: Transfer, _ outcome: TransferOutcome) {
        transfer.continuation?.resume(returning: outcome)
        transfer.continuation = nil
    }
}

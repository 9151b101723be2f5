import Foundation
import Logging

/// `khabar run`: the pipeline forever.
///
/// One **work loop** does the scheduling: every tick (at most a second, shorter when the
/// watchdog asks for it) it pings the watchdog, refreshes STATUS, and starts a cycle for every
/// source that is due (poll its channels, then drain its due URLs) or has URLs due (revisits,
/// retries, the rest of a backlog). Cycles run concurrently, one per source at a time; a slow or
/// dead host holds only its own source's cycle. Due times live in the state, so a restart goes on
/// where the last run stopped, and a source whose time passed while the daemon was down is
/// polled at once.
///
/// The watchdog ping comes from this loop and from nowhere else: if the loop stalls, the pings
/// stop and systemd restarts the daemon.
///
/// Signals arrive as values (`SignalWatcher`), never as C handlers: SIGTERM/SIGINT send
/// `STOPPING=1` and cancel the work — transfers are abandoned, no append is cut (appends run on a
/// blocking pool and are never interrupted; a cancelled page gives up *before* its append) — and
/// the state is left consistent (each outcome is one transaction). SIGHUP sends `RELOADING=1`,
/// reloads the configuration (a bad file keeps the running one and says why in one log line) and
/// then `READY=1` again.
public final class Daemon: Sendable {
    let runtime: ServiceRuntime
    let notifier: SystemdNotifier
    let hooks: TestHooks
    let logger: Logger
    let configPath: String
    private let configuration: Guarded<Configuration>
    /// Cycles run to at most this many URLs before the source's poll is looked at again.
    let drainLimit: Int
    /// How long a stop may wait for in-flight work before the daemon leaves anyway.
    let stopGrace: Duration

    public init(configuration: Configuration, runtime: ServiceRuntime, notifier: SystemdNotifier = SystemdNotifier(),
                hooks: TestHooks = TestHooks(), logger: Logger = Logger(label: "khabar"),
                drainLimit: Int = 500, stopGrace: Duration = .seconds(8)) {
        self.configuration = Guarded(configuration)
        self.configPath = configuration.path
        self.runtime = runtime
        self.notifier = notifier
        self.hooks = hooks
        self.logger = logger
        self.drainLimit = drainLimit
        self.stopGrace = stopGrace
    }

    /// Runs until SIGTERM or SIGINT. Returns once the work has stopped and the state is flushed.
    public func run(signals: SignalWatcher) async {
        let state = runtime.state
        let pid = getpid()
        await runtime.store.run { [logger] in
            do {
                try state.registerDaemon(pid: pid, host: ProcessInfo.processInfo.hostName)
            } catch {
                logger.error("cannot register the daemon in the state", metadata: ["error": "\(error)"])
            }
        }
        let sources = runtime.contexts.count
        logger.notice("started", metadata: ["pid": "\(pid)", "sources": "\(sources)",
                                             "corpus": "\(runtime.daemonSettings.corpusDir)",
                                             "state": "\(runtime.daemonSettings.stateDB)"])
        notifier.ready(status: await statusText())

        let work = Task { await self.workLoop() }
        let workDone = Guarded(false)
        let finish = Guarded<CheckedContinuation<Bool, Never>?>(nil)
        @Sendable func resume(_ clean: Bool) {
            finish.withLock { c in
                c?.resume(returning: clean)
                c = nil
            }
        }
        let listener = Task {
            for await signal in signals.signals {
                switch signal {
                case .stop(let number):
                    self.logger.notice("stopping", metadata: ["signal": "\(number == SIGINT ? "SIGINT" : "SIGTERM")"])
                    self.notifier.stopping()
                    work.cancel()
                    await self.escalateStop(workDone: workDone, giveUp: { resume(false) })
                    return
                case .reload:
                    await self.reload()
                }
            }
        }
        let clean = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            finish.withLock { $0 = continuation }
            Task {
                await work.value
                workDone.withLock { $0 = true }
                resume(true)
            }
        }
        if !clean {
            logger.error("stop grace passed with work in flight; leaving anyway (the corpus is crash-safe)")
        }
        listener.cancel()
        await runtime.store.run { [logger] in
            do { try state.unregisterDaemon(pid: pid) } catch {
                logger.error("cannot unregister the daemon", metadata: ["error": "\(error)"])
            }
        }
        logger.notice("stopped")
    }

    /// After a stop was asked: cancelled tasks end their transfers at once, but a transfer others
    /// share (robots.txt of a host, fetched once for all its requests) runs on until its timeout.
    /// After a second the HTTP client is shut down, which ends every transfer; after `stopGrace`
    /// the daemon leaves whatever is still running.
    private func escalateStop(workDone: Guarded<Bool>, giveUp: @Sendable () -> Void) async {
        for _ in 0..<10 where !workDone.current { try? await Task.sleep(for: .milliseconds(100)) }
        if !workDone.current {
            logger.notice("abandoning the transfers still in flight")
            await runtime.client.shutdown()
        }
        let deadline = ContinuousClock.now + stopGrace
        while !workDone.current && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        if !workDone.current { giveUp() }
    }

    // MARK: The work loop

    private func workLoop() async {
        let started = ContinuousClock.now
        let ping = notifier.watchdogPingInterval
        let tick = min(.seconds(1), ping.map { $0 / 2 } ?? .seconds(1), hooks.pollEvery ?? .seconds(1))
        var lastPing: ContinuousClock.Instant?
        var lastHeartbeat = ContinuousClock.now
        var lastStatusCheck: ContinuousClock.Instant?
        var lastStatus: String?
        var stalled = false
        let state = runtime.state
        let harvester = runtime.harvester
        let pid = getpid()
        // After a cycle that could not write the state, the source rests this long (15 min; the
        // test hook's retry base in tests): its due times did not move.
        let statePause = runtime.pipeline.schedule.retryBase
        let logger = self.logger

        await withTaskGroup(of: String?.self) { group in
            var active = Set<String>()
            var sleeping = false
            while !Task.isCancelled {
                let now = ContinuousClock.now
                if let after = hooks.stallAfter, !stalled, now - started >= after {
                    // Test-only (TestHooks): behave like a deadlocked scheduler.
                    stalled = true
                    logger.warning("test hook: the work loop stalls", metadata: ["for": "\(hooks.stallFor)"])
                    try? await Task.sleep(for: hooks.stallFor)
                    continue
                }
                if let ping, lastPing.map({ now - $0 >= ping / 2 }) ?? true {
                    notifier.watchdog()
                    lastPing = now
                }
                if now - lastHeartbeat >= .seconds(30) {
                    lastHeartbeat = now
                    await runtime.store.run { try? state.daemonHeartbeat(pid: pid) }
                }
                if lastStatusCheck.map({ now - $0 >= .seconds(2) }) ?? true {
                    lastStatusCheck = now
                    let text = await statusText()
                    if text != lastStatus {
                        notifier.status(text)
                        lastStatus = text
                    }
                }

                let due = await runtime.store.run { Set(((try? state.dueSources(now: Date())) ?? []).map(\.name)) }
                for context in runtime.contexts {
                    guard let name = context.name, !active.contains(name), !Task.isCancelled else { continue }
                    let pollNow = due.contains(name)
                    let urlsDue = pollNow ? true : await harvester.hasDueURLs(name)
                    if urlsDue {
                        active.insert(name)
                        let limit = drainLimit
                        group.addTask {
                            if pollNow { _ = await harvester.poll(context) }
                            await harvester.drain(context, limit: limit)
                            if harvester.takeStateTrouble(name) {
                                logger.warning("the state could not be written; the source rests before its next cycle",
                                               metadata: ["source": "\(name)", "for": "\(statePause)"])
                                try? await Task.sleep(for: statePause)
                            }
                            return name
                        }
                    }
                }
                if !sleeping {
                    sleeping = true
                    group.addTask {
                        try? await Task.sleep(for: tick)
                        return nil
                    }
                }
                guard let finished = await group.next() else { break }
                if let name = finished { active.remove(name) } else { sleeping = false }
            }
            group.cancelAll()
        }
    }

    // MARK: STATUS

    /// One line for `systemctl status`: sources, articles added today (UTC), the last error.
    func statusText() async -> String {
        let state = runtime.state
        let midnight = Calendar.utc.startOfDay(for: Date())
        let added = await runtime.store.run {
            (try? state.outcomeCounts(matching: EventQuery(since: midnight, outcomes: [.added, .revised]))) ?? [:]
        }
        return StatusLine.text(sources: runtime.contexts.count, added: added[.added] ?? 0, revised: added[.revised] ?? 0,
                               lastError: runtime.harvester.progress.lastError)
    }

    // MARK: Reload

    private func reload() async {
        notifier.reloading()
        do {
            let fresh = try ConfigLoader.load(path: configPath)
            let running = configuration.current
            if fresh.daemon != running.daemon {
                logger.warning("[daemon] settings changed in the file; they take effect at the next start")
            }
            runtime.update(sources: fresh.sources)
            configuration.withLock { $0.sources = fresh.sources }
            let runtime = self.runtime
            let logger = self.logger
            await runtime.store.run {
                do { try runtime.registerSources() } catch {
                    logger.error("cannot record the reloaded sources", metadata: ["error": "\(error)"])
                }
            }
            logger.notice("configuration reloaded", metadata: ["sources": "\(fresh.sources.count)", "file": "\(configPath)"])
        } catch {
            let why = error.issues.map(\.description).joined(separator: "; ")
            logger.error("configuration reload failed, keeping the running configuration: \(why)")
        }
        notifier.ready(status: await statusText())
    }
}

/// The STATUS= line.
public enum StatusLine {
    public static func text(sources: Int, added: Int, revised: Int, lastError: (time: Date, text: String)?) -> String {
        var line = "\(sources) source\(sources == 1 ? "" : "s"), \(IngestOutcome.grouped(added)) article\(added == 1 ? "" : "s") added today"
        if revised > 0 { line += " (\(IngestOutcome.grouped(revised)) revised)" }
        if let lastError {
            var text = lastError.text.replacingOccurrences(of: "\n", with: " ")
            if text.count > 160 { text = String(text.prefix(159)) + "…" }
            line += ", last error \(StatusLine.clock(lastError.time)): \(text)"
        } else {
            line += ", no errors"
        }
        return line
    }

    /// `HH:MM:SSZ` of a time today, else `YYYY-MM-DD HH:MMZ`.
    static func clock(_ date: Date) -> String {
        let c = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let today = Calendar.utc.isDate(date, inSameDayAs: Date())
        if today { return String(format: "%02d:%02d:%02dZ", c.hour ?? 0, c.minute ?? 0, c.second ?? 0) }
        return String(format: "%04d-%02d-%02d %02d:%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC.
    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? c.timeZone
        return c
    }()
}

import ArgumentParser
import KhabarService

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon in the foreground.",
        discussion: """
        Polls every configured source at its interval, forever, ingesting what is new. Meant for \
        systemd (Type=notify): READY once the configuration, state and corpus are open. SIGTERM or \
        SIGINT stops it cleanly; SIGHUP reloads the configuration (a bad file keeps the running one).
        """)
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("run")
    }
}

struct Poll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Poll the sources once, ingest what is new, print a summary and exit.",
        discussion: "Exits 0 unless every polled source failed.")
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("Sources to poll, by name (default: all).", valueName: "source"))
    var sources: [String] = []

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("poll")
    }
}

struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch article URLs now and ingest them.",
        discussion: """
        Prints one line per URL: added, revised, duplicate, not modified, or why it failed. Exits 1 \
        when any URL did not end in the corpus (failed, not an article, too short, filtered).
        """)
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("Article URLs.", valueName: "url"))
    var urls: [String]
    @Option(help: ArgumentHelp("Attribute the articles to this configured source.", valueName: "name"))
    var source: String?
    @Flag(help: "Print the extracted article; write nothing.")
    var dryRun = false

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("fetch")
    }
}

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract articles from saved .html or .html.gz files, without the network.",
        discussion: """
        Takes files or folders. Without --json, prints each article in the corpus file format. With \
        --json, writes one JSON object mapping each file name (without .html/.html.gz) to \
        {articleBody, title, published, author, lang, url}: the extraction benchmark's format.
        """)
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("Files or folders of .html / .html.gz pages.", valueName: "path"))
    var paths: [String]
    @Option(help: ArgumentHelp("Write the results as JSON to this file.", valueName: "out"))
    var json: String?
    @Option(help: ArgumentHelp("The URL the page was fetched from (resolves relative links).", valueName: "url"))
    var url: String?

    func run() async throws {
        common.bootstrapLogging()
        try notAvailableYet("extract")
    }
}

struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review ingestion events and corpus changes.")
    @OptionGroup var common: CommonOptions
    @Option(help: ArgumentHelp("Only events since this long ago (24h) or this date.", valueName: "when"))
    var since: String?
    @Option(help: ArgumentHelp("Only events before this long ago or this date.", valueName: "when"))
    var until: String?
    @Option(help: ArgumentHelp("Only this source.", valueName: "name"))
    var source: String?
    @Option(help: ArgumentHelp("Only this outcome (repeatable): added, revised, duplicate, failed, …", valueName: "action"))
    var action: [String] = []
    @Option(help: ArgumentHelp("Only this URL: an article's history.", valueName: "url"))
    var url: String?
    @Option(help: ArgumentHelp("Only events whose URL, title or detail contains this text.", valueName: "text"))
    var grep: String?
    @Flag(help: "JSON lines instead of a table.")
    var json = false
    @Flag(help: "Keep streaming new events as they are written.")
    var follow = false

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("log")
    }
}

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show per-source health: last poll, next due, last error, counts.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("status")
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print it resolved, defaults filled in.",
        discussion: "Exits 0 when the file is valid; otherwise prints every error and exits 2.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        let config = try common.loadConfiguration()
        Console.out(ConfigPrinter.render(config))
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the corpus: names against hashes, change log against files, numbering.",
        discussion: "Exits 1 on any fault. Legacy names (adopted files) are listed apart, not as faults.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("verify")
    }
}

struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Paragraph-level diff of two corpus files (an article's revisions).")
    @OptionGroup var common: CommonOptions
    @Argument(help: ArgumentHelp("The older file.", valueName: "file-a"))
    var fileA: String
    @Argument(help: ArgumentHelp("The newer file.", valueName: "file-b"))
    var fileB: String

    func run() async throws {
        common.bootstrapLogging()
        try notAvailableYet("diff")
    }
}

struct Reindex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the state's hash index from the corpus.")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        common.bootstrapLogging()
        _ = try common.loadConfiguration()
        try notAvailableYet("reindex")
    }
}

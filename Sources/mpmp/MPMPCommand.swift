import ArgumentParser

@main
struct MPMPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpmp",
        abstract: "The Municipal Performance Management Program platform.",
        subcommands: [ServeCommand.self, WorkerCommand.self, MigrateCommand.self, AdminCommand.self, InvoicesCommand.self, ReportCommand.self, DemoCommand.self]
    )
}

import ArgumentParser
import Billing
import Foundation
import Logging
import PostgresNIO
import Services
import Storage

/// Options shared by the billing commands: which program year, and the connection.
struct ProgramYearOptions: ParsableArguments {
    @Option(help: "Program code, such as MPMP.")
    var program: String

    @Option(help: "Fiscal year, by the calendar year it ends in (2015 = FY2015).")
    var fy: Int

    @Option(name: .customLong("app-database-url"), help: "Service connection (default: $APP_DATABASE_URL).")
    var appDatabaseURL: String?

    /// Runs `body` in one Center-scope transaction as the service role: the same wall the
    /// API's Center admins go through.
    func withCenterTransaction<Result: Sendable>(
        logger: Logger,
        _ body: @escaping (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let url = try Environment.databaseURL(
            flag: appDatabaseURL, variable: "APP_DATABASE_URL", purpose: "billing commands connect as the service role"
        )
        do {
            return try await url.withConnection(logger: logger) { connection in
                try await connection.inTenantTransaction(.center, logger: logger, body)
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch let failure as InvoiceRun.Failure {
            throw CommandFailure(failure.description)
        } catch {
            throw CommandFailure(DatabaseFailure.describe(error, url: url))
        }
    }
}

struct InvoicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices",
        abstract: "Invoice runs.",
        subcommands: [RunInvoices.self]
    )
}

struct RunInvoices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Create a draft invoice for every enrollment of a program year that has none (safe to repeat)."
    )

    @OptionGroup var options: ProgramYearOptions

    func run() async throws {
        let logger = try Environment.makeLogger(label: "mpmp.invoices", level: Environment.value("LOG_LEVEL") ?? "warning")
        let start = ContinuousClock.now
        let created = try await options.withCenterTransaction(logger: logger) { connection in
            let created = try await InvoiceRun(logger: logger).run(program: options.program, fiscalYear: options.fy, on: connection)
            try await AuditStore(logger: logger).record(
                AuditEvent(tenantID: nil, actorID: nil, action: "invoice-runs.create", target: "programs/\(options.program)/years/\(options.fy): \(created) drafts", outcome: .success, clientAddress: "cli"),
                on: connection
            )
            return created
        }
        let elapsed = ContinuousClock.now - start
        print("\(options.program) FY\(options.fy): \(created) draft invoice(s) created in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))).")
    }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports for the Center.",
        subcommands: [FundingReportCommand.self]
    )
}

struct FundingReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "funding",
        abstract: "A program year's budget, grants, fees and shares against the target."
    )

    @OptionGroup var options: ProgramYearOptions

    func run() async throws {
        let logger = try Environment.makeLogger(label: "mpmp.report", level: Environment.value("LOG_LEVEL") ?? "warning")
        let (report, enrolled, year) = try await options.withCenterTransaction(logger: logger) { connection in
            let reports = BillingReportStore(logger: logger)
            guard let report = try await reports.funding(program: options.program, fiscalYear: options.fy, on: connection),
                let year = try await ProgramStore(logger: logger).year(program: options.program, fiscalYear: options.fy, on: connection)
            else { throw InvoiceRun.Failure.unknownProgramYear(program: options.program, fiscalYear: options.fy) }
            let enrolled = try await reports.enrollmentCount(program: options.program, fiscalYear: options.fy, on: connection)
            return (report, enrolled, year)
        }
        print(FundingReportTable(program: options.program, fiscalYear: options.fy, report: report, enrolled: enrolled, analysts: year.analystHeadcount).text)
    }
}

/// The funding report as a person reads it.
struct FundingReportTable {
    let program: String
    let fiscalYear: Int
    let report: FundingReport
    let enrolled: Int
    let analysts: Int

    var text: String {
        let rows: [(String, String)] = [
            ("Enrolled tenants", "\(enrolled)"),
            ("Analysts", "\(analysts)"),
            ("Budget", Formatting.dollars(report.budgetCents)),
            ("Grants awarded", Formatting.dollars(report.grantsAwardedCents)),
            ("Fees invoiced (net of credit notes)", Formatting.dollars(report.feesInvoicedCents)),
            ("Fees collected", Formatting.dollars(report.feesCollectedCents)),
            ("Fees outstanding", Formatting.dollars(report.feesOutstandingCents)),
            ("Funding gap (budget - grants - fees)", Formatting.dollars(report.fundingGapCents)),
            ("State share: actual / target", "\(Formatting.percent(report.actualStateShare)) / \(Formatting.percent(report.targetStateShare))"),
            ("Fee share: actual / target", "\(Formatting.percent(report.actualFeeShare)) / \(Formatting.percent(report.targetFeeShare))"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        let lines = rows.map { label, value in
            label + String(repeating: " ", count: width - label.count) + "  " + String(repeating: " ", count: max(0, 16 - value.count)) + value
        }
        return (["Funding report, \(program) FY\(fiscalYear)", String(repeating: "=", count: width + 18)] + lines).joined(separator: "\n")
    }
}

import ArgumentParser
import Billing
import Foundation
import Logging
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

    /// Runs `body` with the use cases, as the service role: the same use cases, and the same
    /// wall, as the API's Center admins go through. Failures become one line.
    func withServices<Result: Sendable>(logger: Logger, _ body: (Services) async throws -> Result) async throws -> Result {
        let url = try Environment.databaseURL(
            flag: appDatabaseURL, variable: "APP_DATABASE_URL", purpose: "billing commands connect as the service role"
        )
        do {
            return try await Environment.withServices(url: url, logger: logger, body)
        } catch let error as ServiceError {
            throw CommandFailure(describe(error, url: url))
        } catch {
            throw CommandFailure(DatabaseFailure.describe(error, url: url))
        }
    }

    /// The use case's refusal in the command line's words.
    func describe(_ error: ServiceError, url: DatabaseURL) -> String {
        switch error {
        case .notFound:
            return InvoiceRun.Failure.unknownProgramYear(program: program, fiscalYear: fy).description
        case .conflict:
            return InvoiceRun.Failure.noFeeSchedule(program: program, fiscalYear: fy).description
        case .unavailable(let detail):
            return "\(detail) (\(url.redacted))"
        case .invalid(let fields), .unresolved(let fields):
            return fields.map { "\($0.field) \($0.reason)" }.joined(separator: "; ")
        case .malformed(let field, let reason):
            return "\(field) \(reason)"
        case .unauthenticated(let detail), .forbidden(let detail), .throttled(let detail):
            return detail
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
        let result = try await options.withServices(logger: logger) { services in
            try await services.invoiceRuns.run(.commandLine, program: options.program, fiscalYear: options.fy)
        }
        let elapsed = ContinuousClock.now - start
        print("\(options.program) FY\(options.fy): \(result.draftsCreated) draft invoice(s) created in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))).")
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
        let funding = try await options.withServices(logger: logger) { services in
            try await services.billingReports.funding(.commandLine, program: options.program, fiscalYear: options.fy)
        }
        print(
            FundingReportTable(
                program: options.program, fiscalYear: options.fy, report: funding.report, enrolled: funding.enrolledTenants,
                analysts: funding.analystHeadcount
            ).text
        )
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

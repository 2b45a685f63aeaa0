import Billing
import Domain
import Foundation
import Storage

/// The words of every mail the platform sends, each as `MailContent` (plain text and HTML).
enum MailTemplates {
    static func invitation(inviter: String, tenant: String, acceptURL: String, validDays: Int) -> MailContent {
        MailContent(
            subject: "You are invited to the MPMP platform for \(tenant)",
            blocks: [
                .paragraph("\(inviter) invites you to work with \(tenant) on the MPMP platform."),
                .link("Accept within \(validDays) days", url: acceptURL),
                .paragraph("If you did not expect this invitation, ignore this mail: nothing happens without you."),
            ]
        )
    }

    static func passwordReset(resetURL: String) -> MailContent {
        MailContent(
            subject: "Reset your MPMP password",
            blocks: [
                .paragraph("Someone, perhaps you, asked to reset the password of your MPMP account."),
                .link("Choose a new password within an hour (the link works once)", url: resetURL),
                .paragraph("If you did not ask, ignore this mail: your password stays as it is."),
            ]
        )
    }

    static func dataReminder(
        ownerName: String, tenant: String, measure: String, period: String, dataURL: String
    ) -> MailContent {
        MailContent(
            subject: "\(tenant): \(measure) for \(period) is due",
            blocks: [
                .paragraph("Hello \(ownerName),"),
                .paragraph("\(tenant) has no value yet for \(measure) for \(period). Please enter it, or import your spreadsheet."),
                .link("Enter the value", url: dataURL),
                .paragraph("This is the only reminder for this period."),
            ]
        )
    }

    /// A finalized invoice: the whole of it, so that the mail itself can be filed, and the
    /// link to its printable page.
    static func invoice(_ invoice: InvoiceRecord, tenant: String, printURL: String) -> MailContent {
        let number = invoice.number ?? "(no number)"
        var facts: [(label: String, value: String)] = [
            ("Invoice", number),
            ("Program", "\(invoice.programCode), fiscal year \(invoice.fiscalYear)"),
            ("Annual fee", Formatting.dollars(invoice.annualFeeCents)),
        ]
        if invoice.billedDays != invoice.yearDays {
            facts.append(("Billed for", "\(invoice.billedDays) of \(invoice.yearDays) days"))
        }
        facts.append(("Amount due", Formatting.dollars(invoice.amountCents)))
        if let issued = invoice.issuedOn { facts.append(("Issued", issued.description)) }
        if let due = invoice.dueOn { facts.append(("Due", due.description)) }
        return MailContent(
            subject: "Invoice \(number) for \(tenant): \(Formatting.dollars(invoice.amountCents))",
            blocks: [
                .paragraph("Invoice \(number) for \(tenant)'s participation in the Municipal Performance Management Program."),
                .facts(facts),
                .paragraph("The state grant pays the rest of the program's cost; this is \(tenant)'s share."),
                .link("The printable invoice", url: printURL),
                .paragraph("Please pay by check or ACH, quoting the invoice number."),
            ]
        )
    }

    /// An analyst's weekly digest: a row per town of their portfolio.
    static func digest(analyst: String, weekOf: CivilDate, towns: [DigestTown], homeURL: String) -> MailContent {
        let needingData = towns.filter { $0.measuresDue > 0 || $0.measuresStale > 0 }.count
        let overdue = towns.reduce(0) { $0 + $1.overdueActionItems }
        var blocks: [MailContent.Block] = [
            .paragraph("Hello \(analyst),"),
            .paragraph(
                "Your towns this week: \(towns.count) in your portfolio, \(needingData) with data due or stale, "
                    + "\(overdue) action \(overdue == 1 ? "item" : "items") overdue."
            ),
            .table(
                header: ["Town", "Data due", "Stale", "In red", "Overdue actions", "Next meeting"],
                rows: towns.map { town in
                    [
                        town.name, "\(town.measuresDue)", "\(town.measuresStale)", "\(town.measuresInRed)", "\(town.overdueActionItems)",
                        town.nextMeeting?.description ?? "none scheduled",
                    ]
                },
                numeric: [1, 2, 3, 4]
            ),
        ]
        let details = towns.filter { !$0.dueMeasures.isEmpty }
        for town in details {
            blocks.append(.heading("\(town.name): data due"))
            blocks.append(.list(town.dueMeasures))
        }
        blocks += [
            .paragraph(
                "\"Data due\" is a measure whose last ended period has no value; \"stale\" has had none for three periods or more."
            ),
            .link("You get this digest every Monday; to stop it, use the button on your home page", url: homeURL),
        ]
        return MailContent(subject: "Your MPMP towns, week of \(weekOf.description)", blocks: blocks)
    }
}

/// One town in an analyst's digest.
struct DigestTown: Sendable, Hashable {
    var name: String
    var measuresDue: Int
    var measuresStale: Int
    var measuresInRed: Int
    var overdueActionItems: Int
    var nextMeeting: CivilDate?
    /// The names of the measures due, at most ten.
    var dueMeasures: [String]
}

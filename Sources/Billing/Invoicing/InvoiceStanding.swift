import Domain

/// Where an invoice stands for the people who collect it, on a given day: the five states
/// of the Center's invoice list (DESIGN §11). A finalized invoice is open until its due
/// day and past due from the day after; paid and void are final; a draft is not issued.
public enum InvoiceStanding: String, Sendable, Hashable, CaseIterable {
    case draft
    case open
    case pastDue = "past_due"
    case paid
    case void

    /// The standing of an invoice in `status`, due on `dueOn`, seen on `asOf`. A finalized
    /// invoice without a due day (which finalization never leaves) counts as open.
    public static func of(status: InvoiceStatus, dueOn: CivilDate?, asOf: CivilDate) -> InvoiceStanding {
        switch status {
        case .draft: .draft
        case .paid: .paid
        case .void: .void
        case .finalized:
            if let dueOn, dueOn < asOf { .pastDue } else { .open }
        }
    }

    /// The invoice statuses a standing is drawn from (the list's filter narrows by these
    /// first, then by the due day).
    public var status: InvoiceStatus {
        switch self {
        case .draft: .draft
        case .open, .pastDue: .finalized
        case .paid: .paid
        case .void: .void
        }
    }
}

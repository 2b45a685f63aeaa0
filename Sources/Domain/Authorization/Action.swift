import Foundation

/// Everything a caller may try, one case per row of DESIGN.md section 3.
public enum Action: String, Sendable, Hashable, CaseIterable, Codable {
    case manageCatalog  // jurisdictions, kinds, programs, program years, fee schedules, grants
    case onboardTenant  // create a tenant; enroll it in a program year
    case readTenantProfile
    case updateTenantProfile
    case changeFeeDrivers  // population, enrollment, kind: what sets a fee (DESIGN.md section 3's prose)
    case manageUsers  // assign analyst portfolios; create Center admins; disable users
    case inviteChiefExecutive
    case inviteDepartmentHead
    case manageDepartments
    case editMeasures  // create and edit measures and targets
    case enterData  // data points, CSV import
    case validateData
    case readMeasures  // measures, data, dashboard
    case setMeasureSharing
    case manageMeetings  // stat meetings and action items
    case readMeetings  // read meetings; update action items assigned to me
    case readBilling  // invoices, payments, statement
    case manageBilling  // invoicing, finalize, void, payments, credit notes
    case readProgramReports  // funding report, aging report
    case readAuditLog
    case readLibrary  // the measure library and peer benchmarks
    case readCatalog  // jurisdictions, tenant kinds, programs, fee schedules: silent in DESIGN.md; everyone
    case publishLibrary
}

/// What an action is aimed at.
public enum Resource: Sendable, Hashable {
    /// Not tied to a tenant: the catalogue, users, the library, program reports.
    case global
    /// A tenant as a whole.
    case tenant(UUID)
    /// One department of a tenant (its measures, its data).
    case department(tenantID: UUID, departmentID: UUID)
    /// An action item of a tenant, assigned to a user (or to nobody).
    case actionItem(tenantID: UUID, assigneeID: UUID?)

    public var tenantID: UUID? {
        switch self {
        case .global: nil
        case .tenant(let id), .department(let id, _), .actionItem(let id, _): id
        }
    }
}

public enum Decision: Sendable, Hashable {
    case allow
    case deny
}

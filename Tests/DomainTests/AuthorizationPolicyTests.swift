import Domain
import Foundation
import Testing

/// DESIGN.md section 3, cell by cell. Each cell's word is checked against the resources
/// that tell it apart from its neighbours: own tenant, another tenant, own department,
/// another department, an item assigned to the caller or to someone else, the global scope.
@Suite("Authorization matrix")
struct AuthorizationPolicyTests {
    enum Cell: String {
        case yes, no, portfolio, own
        case ownDepartment = "own department"
        case assigned = "assigned to them"
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let action: Action
        let admin: String, analyst: String, chiefExecutive: String, departmentHead: String
        var testDescription: String { action.rawValue }
    }

    /// The matrix as DESIGN.md writes it.
    static let matrix: [Row] = [
        Row(action: .manageCatalog, admin: "yes", analyst: "no", chiefExecutive: "no", departmentHead: "no"),
        Row(action: .onboardTenant, admin: "yes", analyst: "no", chiefExecutive: "no", departmentHead: "no"),
        Row(action: .readTenantProfile, admin: "yes", analyst: "portfolio", chiefExecutive: "own", departmentHead: "own"),
        Row(action: .updateTenantProfile, admin: "yes", analyst: "no", chiefExecutive: "own", departmentHead: "no"),
        Row(action: .manageUsers, admin: "yes", analyst: "no", chiefExecutive: "no", departmentHead: "no"),
        Row(action: .inviteChiefExecutive, admin: "yes", analyst: "no", chiefExecutive: "no", departmentHead: "no"),
        Row(action: .inviteDepartmentHead, admin: "yes", analyst: "no", chiefExecutive: "own", departmentHead: "no"),
        Row(action: .manageDepartments, admin: "yes", analyst: "portfolio", chiefExecutive: "own", departmentHead: "no"),
        Row(action: .editMeasures, admin: "yes", analyst: "portfolio", chiefExecutive: "own", departmentHead: "own department"),
        Row(action: .enterData, admin: "yes", analyst: "portfolio", chiefExecutive: "own", departmentHead: "own department"),
        Row(action: .validateData, admin: "yes", analyst: "portfolio", chiefExecutive: "own", departmentHead: "no"),
        Row(action: .readMeasures, admin: "yes", analyst: "portfolio", chiefExecutive: "own", departmentHead: "own department"),
        Row(action: .setMeasureSharing, admin: "yes", analyst: "no", chiefExecutive: "own", departmentHead: "no"),
        Row(action: .manageMeetings, admin: "yes", analyst: "portfolio", chiefExecutive: "own", departmentHead: "no"),
        Row(action: .readMeetings, admin: "yes", analyst: "portfolio", chiefExecutive: "own", departmentHead: "assigned to them"),
        Row(action: .readBilling, admin: "yes", analyst: "portfolio", chiefExecutive: "own", departmentHead: "no"),
        Row(action: .manageBilling, admin: "yes", analyst: "no", chiefExecutive: "no", departmentHead: "no"),
        Row(action: .readProgramReports, admin: "yes", analyst: "no", chiefExecutive: "no", departmentHead: "no"),
        Row(action: .readAuditLog, admin: "yes", analyst: "no", chiefExecutive: "own", departmentHead: "no"),
        Row(action: .readLibrary, admin: "yes", analyst: "yes", chiefExecutive: "yes", departmentHead: "yes"),
        Row(action: .publishLibrary, admin: "yes", analyst: "no", chiefExecutive: "no", departmentHead: "no"),
        // Not in DESIGN.md's table: reading the catalogue (states, kinds, programs, fee
        // schedules) is open to every signed-in user, like the library.
        Row(action: .readCatalog, admin: "yes", analyst: "yes", chiefExecutive: "yes", departmentHead: "yes"),
        // DESIGN.md section 3's prose: what sets a fee (population, enrollment, kind) is
        // billing data, changed by a Center admin only.
        Row(action: .changeFeeDrivers, admin: "yes", analyst: "no", chiefExecutive: "no", departmentHead: "no"),
    ]

    static let ownTenant = UUID()
    static let otherTenant = UUID()
    static let ownDepartment = UUID()
    static let otherDepartment = UUID()
    static let userID = UUID()
    static let someoneElse = UUID()

    static let admin = Principal(userID: userID, isCenterAdmin: true)
    static let analyst = Principal(userID: userID, grants: [TenantGrant(tenantID: ownTenant, role: .analyst)])
    static let chiefExecutive = Principal(userID: userID, grants: [TenantGrant(tenantID: ownTenant, role: .chiefExecutive)])
    static let departmentHead = Principal(
        userID: userID,
        grants: [TenantGrant(tenantID: ownTenant, role: .departmentHead(departmentID: ownDepartment))]
    )

    /// Each probe and the cells under which it is allowed.
    static let probes: [(resource: Resource, allowedBy: Set<Cell>)] = [
        (.global, [.yes]),
        (.tenant(ownTenant), [.yes, .portfolio, .own]),
        (.tenant(otherTenant), [.yes]),
        (.department(tenantID: ownTenant, departmentID: ownDepartment), [.yes, .portfolio, .own, .ownDepartment]),
        (.department(tenantID: ownTenant, departmentID: otherDepartment), [.yes, .portfolio, .own]),
        (.department(tenantID: otherTenant, departmentID: ownDepartment), [.yes]),
        (.actionItem(tenantID: ownTenant, assigneeID: userID), [.yes, .portfolio, .own, .assigned]),
        (.actionItem(tenantID: ownTenant, assigneeID: someoneElse), [.yes, .portfolio, .own]),
        (.actionItem(tenantID: ownTenant, assigneeID: nil), [.yes, .portfolio, .own]),
        (.actionItem(tenantID: otherTenant, assigneeID: userID), [.yes]),
    ]

    @Test("the matrix lists every action once")
    func matrixIsComplete() {
        #expect(Self.matrix.map(\.action).sorted { $0.rawValue < $1.rawValue } == Action.allCases.sorted { $0.rawValue < $1.rawValue })
    }

    @Test("every cell", arguments: matrix)
    func everyCell(row: Row) throws {
        let columns: [(String, Principal, String)] = [
            ("Center admin", Self.admin, row.admin),
            ("analyst", Self.analyst, row.analyst),
            ("CEO", Self.chiefExecutive, row.chiefExecutive),
            ("department head", Self.departmentHead, row.departmentHead),
        ]
        for (column, principal, word) in columns {
            let cell = try #require(Cell(rawValue: word))
            for probe in Self.probes {
                let expected: Decision = probe.allowedBy.contains(cell) ? .allow : .deny
                let actual = AuthorizationPolicy.decide(principal, row.action, probe.resource)
                #expect(actual == expected, "\(row.action) by \(column) (\(word)) on \(probe.resource)")
            }
        }
    }

    @Test("a user without grants may read the library and nothing else")
    func noGrants() {
        let stranger = Principal(userID: UUID())
        for action in Action.allCases {
            let expected: Decision = [.readLibrary, .readCatalog].contains(action) ? .allow : .deny
            #expect(AuthorizationPolicy.decide(stranger, action, .tenant(Self.ownTenant)) == expected)
        }
    }

    @Test("grants in two tenants do not mix: an analyst of A and CEO of B")
    func grantsStayInTheirTenant() {
        let mixed = Principal(
            userID: Self.userID,
            grants: [
                TenantGrant(tenantID: Self.ownTenant, role: .analyst),
                TenantGrant(tenantID: Self.otherTenant, role: .chiefExecutive),
            ]
        )
        #expect(AuthorizationPolicy.decide(mixed, .updateTenantProfile, .tenant(Self.ownTenant)) == .deny)
        #expect(AuthorizationPolicy.decide(mixed, .updateTenantProfile, .tenant(Self.otherTenant)) == .allow)
        #expect(AuthorizationPolicy.decide(mixed, .manageDepartments, .tenant(Self.ownTenant)) == .allow)
    }
}

import Domain
import Foundation
import Hummingbird
import Services
import Storage

/// What the API shows of a user: never a password hash.
struct UserBody: ResponseEncodable, Sendable {
    var id: UUID
    var email: String
    var displayName: String
    var centerAdmin: Bool
    var disabled: Bool

    init(_ user: UserRecord) {
        self.id = user.id
        self.email = user.email
        self.displayName = user.displayName
        self.centerAdmin = user.isCenterAdmin
        self.disabled = user.isDisabled
    }
}

struct GrantBody: ResponseEncodable, Sendable {
    var tenantId: UUID
    var role: String
    var departmentId: UUID?

    init(_ grant: TenantGrant) {
        self.tenantId = grant.tenantID
        self.role = grant.role.name
        if case .departmentHead(let departmentID) = grant.role {
            self.departmentId = departmentID
        }
    }
}

struct TenantBody: ResponseEncodable, Sendable {
    var id: UUID
    var name: String
    var kind: String
    var jurisdiction: String
    var population: Int?
    var dataDueDay: Int
    var billingEmail: String?

    init(_ tenant: Tenant) {
        self.id = tenant.id
        self.name = tenant.name
        self.kind = tenant.kindCode
        self.jurisdiction = tenant.jurisdictionCode
        self.population = tenant.population
        self.dataDueDay = tenant.dataDueDay
        self.billingEmail = tenant.billingEmail
    }
}

struct DepartmentBody: ResponseEncodable, Sendable {
    var id: UUID
    var tenantId: UUID
    var name: String

    init(_ department: Department) {
        self.id = department.id
        self.tenantId = department.tenantID
        self.name = department.name
    }
}

struct AuditEventBody: ResponseEncodable, Sendable {
    var id: UUID
    var tenantId: UUID?
    var occurredAt: Date
    var actorId: UUID?
    var action: String
    var target: String
    var outcome: String
    var clientAddress: String?

    init(_ event: AuditEvent) {
        self.id = event.id
        self.tenantId = event.tenantID
        self.occurredAt = event.occurredAt
        self.actorId = event.actorID
        self.action = event.action
        self.target = event.target
        self.outcome = event.outcome.rawValue
        self.clientAddress = event.clientAddress
    }
}

extension Response {
    static func created(_ body: some ResponseEncodable, context: some RequestContext, request: Request) throws -> Response {
        var response = try body.response(from: request, context: context)
        response.status = .created
        return response
    }

    static var noContent: Response { Response(status: .noContent) }
}

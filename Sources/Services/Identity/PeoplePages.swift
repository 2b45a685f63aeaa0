import Domain
import Foundation
import Storage

/// What the console's people and audit screens show, each in one transaction.
extension UserService {
    public struct Directory: Sendable {
        public var users: [UserRecord]
        /// The cursor of the next page (the last e-mail, lower-cased), when there is one.
        public var next: String?
        /// Each analyst's towns, by user.
        public var portfolios: [UUID: [(id: UUID, name: String)]]
        /// Every tenant, by name: what a town can be assigned from.
        public var tenants: [(id: UUID, name: String)]
        /// Who can be given a town: not a Center admin, nor a CEO or department head.
        public var analysts: [(id: UUID, name: String)]
        public var readerID: UUID
        public var readerName: String
    }

    /// A page of users by e-mail with their portfolios (Center admins).
    public func directory(_ caller: Caller, after cursor: String?, limit: Int) async throws -> Directory {
        try await services.global(caller, .manageUsers, target: "users", scope: .granted) { work in
            var users = try await work.stores.users.list(after: cursor, limit: limit + 1, on: work.connection)
            var next: String?
            if users.count > limit {
                users.removeLast()
                next = users.last?.email.lowercased()
            }
            var portfolios: [UUID: [(id: UUID, name: String)]] = [:]
            for entry in try await work.stores.users.portfolios(on: work.connection) {
                portfolios[entry.userID, default: []].append((entry.tenantID, entry.tenantName))
            }
            let tenants = try await work.stores.tenants.list(on: work.connection).map { (id: $0.id, name: $0.name) }
            return Directory(
                users: users, next: next, portfolios: portfolios, tenants: tenants,
                analysts: try await work.stores.users.analystCandidates(on: work.connection), readerID: work.userID,
                readerName: work.session.user.displayName
            )
        }
    }
}

extension AuditService {
    public struct Trail: Sendable {
        public var events: [AuditEvent]
        /// The actors' names, by id.
        public var names: [UUID: String]
        /// The tenants the reader may see, by name: the trail's filter and its town column.
        public var tenants: [(id: UUID, name: String)]
        public var readerName: String
    }

    /// `events`, with the names of those who acted, in the same transaction.
    public func trail(_ caller: Caller, tenant tenantID: UUID?, before cursor: (Date, UUID)?, limit: Int) async throws -> Trail {
        try await events(caller, tenant: tenantID, before: cursor, limit: limit) { work, events in
            Trail(
                events: events, names: try await work.stores.users.names(of: Array(Set(events.compactMap(\.actorID))), on: work.connection),
                tenants: try await work.stores.tenants.list(on: work.connection).map { (id: $0.id, name: $0.name) },
                readerName: work.session.user.displayName
            )
        }
    }
}

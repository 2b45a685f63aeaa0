import Billing
import Domain
import Foundation
import Logging
import PostgresNIO
import Storage

/// Loads the demo program (DemoProgram) once, in one transaction: all of it or nothing.
public struct DemoLoader: Sendable {
    public struct Login: Sendable {
        public var role: String
        public var email: String
        public var password: String
    }

    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The logins the demo creates, to print.
    public static let logins: [Login] = [
        Login(role: "Center admin (director)", email: DemoProgram.directorEmail, password: DemoProgram.directorPassword),
        Login(role: "Analyst, MPMP (Amherst and five more towns)", email: DemoProgram.analystEmail(1), password: DemoProgram.analystPassword),
        Login(role: "Analyst, SDPMP and Rhode Island (both states, both kinds)", email: DemoProgram.analystEmail(8), password: DemoProgram.analystPassword),
        Login(role: "Town Manager of Amherst (CEO)", email: "manager@amherst.demo", password: DemoProgram.chiefExecutivePassword),
        Login(role: "Director of Public Works, Amherst (department head)", email: "dpw@amherst.demo", password: DemoProgram.departmentHeadPassword),
        Login(role: "Superintendent, Worcester Public Schools (CEO)", email: "superintendent@worcester-schools.demo", password: DemoProgram.chiefExecutivePassword),
    ]

    /// Loads the demo unless its director exists; returns whether it loaded.
    @discardableResult
    public func loadIfMissing(on connection: PostgresConnection) async throws -> Bool {
        let users = UserStore(logger: logger)
        let present = try await connection.inTransaction(logger: logger) { connection in
            try await users.user(email: DemoProgram.directorEmail, on: connection) != nil
        }
        if present { return false }
        let hasher = PasswordHasher(cost: 12)
        var hashes: [String: String] = [:]
        for password in Set(Self.logins.map(\.password)) {
            hashes[password] = try await hasher.hash(password)
        }
        let passwordHashes = hashes
        let logger = self.logger
        try await connection.inTenantTransaction(.center, logger: logger) { connection in
            try await connection.assumeCenterAdminRole(logger: logger)
            try await DemoLoad(connection: connection, logger: logger, hashes: passwordHashes).run()
        }
        return true
    }
}

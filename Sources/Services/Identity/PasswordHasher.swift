import HummingbirdBcrypt
import NIOPosix
import Storage
import Synchronization

/// bcrypt, off the event loops: a hash at cost 12 takes a quarter of a second.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        precondition(cost >= 12, "bcrypt cost must be at least 12")
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Verifies against a hash of nothing anyone knows, at the same cost, so that a login
    /// for an unknown e-mail takes as long as one with a wrong password.
    public func verifyAgainstDecoy(_ password: String) async throws {
        let cost = self.cost
        let decoy = try await NIOThreadPool.singleton.runIfActive { Self.decoyHash(cost: cost) }
        _ = try await verify(password, hash: decoy)
    }

    private static let decoys = Mutex<[UInt8: String]>([:])

    private static func decoyHash(cost: UInt8) -> String {
        if let hash = decoys.withLock({ $0[cost] }) { return hash }
        let hash = Bcrypt.hash(SecretToken.generate(), cost: cost)
        decoys.withLock { $0[cost] = hash }
        return hash
    }
}

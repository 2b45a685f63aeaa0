import Foundation
import Storage

/// A caller's `Idempotency-Key` and what makes two requests the same (the way in computes
/// it: the API hashes the method, the path and the body's bytes).
public struct IdempotencyKey: Sendable, Hashable {
    public var key: String
    public var fingerprint: String

    public init(key: String, fingerprint: String) {
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// Turns a use case's result into the exact body the way in answers with: the first answer
/// is stored in these bytes, so that a repeat gets the same bytes back.
public typealias IdempotentRenderer<Value> = @Sendable (Value) throws -> String

/// The answer of a money-moving use case: done now, or a repeat of a request done before.
public enum Idempotent<Value: Sendable>: Sendable {
    /// Done in this call: the result, its rendered body and the status it was stored with.
    case fresh(Value, status: Int, body: String)
    /// A repeat of a request with the same key and fingerprint: the first answer.
    case replay(status: Int, body: String)

    /// The status to answer with (an HTTP status: the stored answer is the API's).
    public var status: Int {
        switch self {
        case .fresh(_, let status, _), .replay(let status, _): status
        }
    }

    /// The body to answer with.
    public var body: String {
        switch self {
        case .fresh(_, _, let body), .replay(_, let body): body
        }
    }

    public var isReplay: Bool {
        if case .replay = self { true } else { false }
    }
}

/// The statuses a first answer is stored (and replayed) with, as HTTP names them.
enum IdempotentStatus {
    /// The use case made something new: a payment, a credit note, a grant, drafts.
    static let created = 201
    /// The use case changed something that was there: a finalization, a void.
    static let changed = 200
}

extension Work {
    /// Runs `body` at most once per key: the key is claimed in this transaction, before the
    /// work and after the policy (a refusal commits its audit record, and must not commit
    /// a claim with it). A repeat with the same fingerprint gets the first answer; with
    /// another fingerprint, 422. A failure rolls the claim back with everything else, so
    /// nothing is stored for a request that failed.
    func idempotent<Value: Sendable>(
        _ key: IdempotencyKey?,
        status: Int,
        render: IdempotentRenderer<Value>,
        _ body: () async throws -> Value
    ) async throws -> Idempotent<Value> {
        if let key {
            let claim = try await stores.idempotency.claim(
                userID: userID, key: key.key, requestHash: key.fingerprint, on: connection
            )
            switch claim {
            case .proceed:
                break
            case .replay(let status, let body):
                return .replay(status: status, body: body)
            case .mismatch:
                // The key is bound to the request it first came with: a conflict with that
                // state (409), the answer the API document gives.
                throw ServiceError.conflict("This Idempotency-Key was used before with another request; send a new key.")
            }
        }
        let value = try await body()
        let text = try render(value)
        if let key {
            try await stores.idempotency.complete(userID: userID, key: key.key, status: status, body: text, on: connection)
        }
        return .fresh(value, status: status, body: text)
    }
}

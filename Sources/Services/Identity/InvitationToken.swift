import Foundation
import Storage

/// The secret of an accept link: `<tenant id>.<256-bit secret>`. It names its tenant so
/// that the invitation can be found under row-level security; the database keeps only the
/// SHA-256 of the whole text.
public struct InvitationToken: Sendable, Hashable {
    public let tenantID: UUID
    /// The token's text, as it travels in the link.
    let text: String

    /// A token from a link; nil when it cannot be one this service gave out.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let tenantID = UUID(uuidString: String(parts[0])), SecretToken.isWellFormed(parts[1]) else {
            return nil
        }
        self.tenantID = tenantID
        self.text = text
    }

    /// A new token for an invitation to `tenantID`.
    static func generate(for tenantID: UUID) -> InvitationToken {
        InvitationToken(tenantID: tenantID, text: "\(tenantID.uuidString.lowercased()).\(SecretToken.generate())")
    }

    private init(tenantID: UUID, text: String) {
        self.tenantID = tenantID
        self.text = text
    }

    /// What the database stores.
    var hash: String { SecretToken.hash(text) }
}

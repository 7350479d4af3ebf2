import DeepSearch
import Testing

@testable import DeepSearch

/// The subject and the issuer read from a certificate's DER, and bytes that are not one.
struct CertificateSummaryTests {
    /// A certificate's outline in DER: version, serial, algorithm, issuer, validity, subject.
    static func certificate(issuer: [UInt8], subject: [UInt8], version: Bool = true) -> [UInt8] {
        func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
            content.count < 128 ? [tag, UInt8(content.count)] + content : [tag, 0x81, UInt8(content.count)] + content
        }
        let fields =
            (version ? tlv(0xA0, tlv(0x02, [2])) : []) + tlv(0x02, [1]) + tlv(0x30, []) + issuer + tlv(0x30, []) + subject
        return tlv(0x30, tlv(0x30, fields))
    }

    /// A `Name` of a common name (PrintableString) and an organisation (UTF8String).
    static func name(cn: String?, o: String?) -> [UInt8] {
        func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag, UInt8(content.count)] + content }
        var sets: [UInt8] = []
        if let o { sets += tlv(0x31, tlv(0x30, tlv(0x06, [0x55, 0x04, 0x0A]) + tlv(0x0C, Array(o.utf8)))) }
        if let cn { sets += tlv(0x31, tlv(0x30, tlv(0x06, [0x55, 0x04, 0x03]) + tlv(0x13, Array(cn.utf8)))) }
        return tlv(0x30, sets)
    }

    @Test func theNamesOfTheSubjectAndTheIssuer() throws {
        let der = Self.certificate(issuer: Self.name(cn: "R11", o: "Let's Encrypt"), subject: Self.name(cn: "api.extruct.ai", o: nil))
        let names = try #require(DistinguishedNames(der: der))
        #expect(names.issuer.shown == "R11 (Let's Encrypt)")
        #expect(names.subject.shown == "api.extruct.ai")
        #expect(names.issuer.der != names.subject.der)
        let withoutVersion = Self.certificate(issuer: Self.name(cn: nil, o: "Example CA"), subject: Self.name(cn: nil, o: nil), version: false)
        let old = try #require(DistinguishedNames(der: withoutVersion))
        #expect(old.issuer.shown == "Example CA" && old.subject.shown == "(no name)")
        let same = Self.name(cn: "self \u{1B}[31mred", o: nil)
        let selfSigned = try #require(DistinguishedNames(der: Self.certificate(issuer: same, subject: same)))
        #expect(selfSigned.issuer.der == selfSigned.subject.der)
        #expect(!selfSigned.subject.shown.contains("\u{1B}"), "a name is text made safe")
    }

    @Test func bytesThatAreNotACertificateGiveNoNames() {
        let der = Self.certificate(issuer: Self.name(cn: "R11", o: nil), subject: Self.name(cn: "x", o: nil))
        for cut in 0..<der.count { _ = DistinguishedNames(der: Array(der.prefix(cut))) }
        #expect(DistinguishedNames(der: []) == nil)
        #expect(DistinguishedNames(der: [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]) == nil)
        #expect(DistinguishedNames(der: [0x30, 0x02, 0x30, 0x00]) == nil)
    }
}

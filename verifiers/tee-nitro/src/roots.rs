//! Trusted roots, named by the SHA-256 fingerprint of their DER encoding.

use sha2::{Digest as _, Sha256};

/// SHA-256 of a certificate's DER encoding.
pub type Fingerprint = [u8; 32];

/// SHA-256 fingerprint of the AWS Nitro Enclaves root G1
/// (`CN=aws.nitro-enclaves, O=Amazon, OU=AWS, C=US`, valid 2019-10-28 .. 2049-10-28), as
/// published on AWS's "Verifying the root of trust" page:
/// `64:1A:03:21:A3:E2:44:EF:E4:56:46:31:95:D6:06:31:7E:D7:CD:CC:3C:17:56:E0:98:93:F3:C6:8F:79:BB:5B`.
pub const AWS_NITRO_ROOT_G1_FINGERPRINT: Fingerprint = [
	0x64, 0x1A, 0x03, 0x21, 0xA3, 0xE2, 0x44, 0xEF, 0xE4, 0x56, 0x46, 0x31, 0x95, 0xD6, 0x06, 0x31,
	0x7E, 0xD7, 0xCD, 0xCC, 0x3C, 0x17, 0x56, 0xE0, 0x98, 0x93, 0xF3, 0xC6, 0x8F, 0x79, 0xBB, 0x5B,
];

/// The DER encoding of the AWS Nitro Enclaves root G1 (from AWS's `AWS_NitroEnclaves_Root-G1.zip`),
/// for callers that want the certificate itself; its SHA-256 is
/// [`AWS_NITRO_ROOT_G1_FINGERPRINT`].
pub const AWS_NITRO_ROOT_G1_DER: &[u8] =
	include_bytes!("resources/roots/aws-nitro-enclaves-root-g1.der");

/// SHA-256 of the DER of the development CA's root certificate (`crate::dev::DevCa::
/// standard()`), whose keys derive from a public seed: anyone can make documents under it with
/// any PCRs. Development chains trust it; a production chain never does, and off-chain
/// verification warns about any evidence resting on it.
pub const DEV_CA_ROOT_FINGERPRINT: Fingerprint = [
	0x2a, 0x9f, 0x37, 0x49, 0x4e, 0xa6, 0x7c, 0xc9, 0x70, 0x46, 0x24, 0xaa, 0xc6, 0x75, 0xa2, 0xf5,
	0xda, 0x5b, 0x32, 0x18, 0xfa, 0x07, 0x6f, 0x8d, 0x9b, 0x40, 0xfc, 0x1e, 0xd6, 0x02, 0x3a, 0x02,
];

/// The default trusted set: the AWS Nitro Enclaves root G1 only.
pub const AWS_ROOTS: &[Fingerprint] = &[AWS_NITRO_ROOT_G1_FINGERPRINT];

/// SHA-256 of `der`, the fingerprint by which roots are trusted.
pub fn fingerprint(der: &[u8]) -> Fingerprint {
	Sha256::digest(der).into()
}

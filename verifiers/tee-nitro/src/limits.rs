//! Size limits. Every input is checked against these before it is decoded further, so no input
//! can make the verifier allocate more than a small multiple of [`MAX_DOCUMENT_LEN`].

/// Largest accepted attestation document (the whole COSE_Sign1), in bytes. Real documents are
/// 2–8 KiB; AWS bounds the payload alone at 16 KiB.
pub const MAX_DOCUMENT_LEN: usize = 16 * 1024;
/// Largest accepted DER certificate (`certificate` and each `cabundle` entry). Real ones are
/// under 1 KiB.
pub const MAX_CERT_LEN: usize = 4 * 1024;
/// Most certificates accepted in `cabundle` (AWS sends 4: root, regional, zonal, instance).
pub const MAX_CABUNDLE_LEN: usize = 8;
/// Largest `public_key`, `user_data` or `nonce`, in bytes (the AWS CDDL bound).
pub const MAX_OPTIONAL_FIELD_LEN: usize = 1024;
/// Largest `module_id`, in bytes.
pub const MAX_MODULE_ID_LEN: usize = 256;
/// Most PCRs in a document (indices 0..=31).
pub const MAX_PCRS: usize = 32;
/// Most entries in the payload map (nine keys are defined; duplicates are rejected anyway).
pub const MAX_PAYLOAD_ENTRIES: usize = 16;
/// Most entries in the protected header map.
pub const MAX_HEADER_ENTRIES: usize = 4;
/// Most trusted roots a caller may pass.
pub const MAX_TRUSTED_ROOTS: usize = 16;
/// Deepest CBOR nesting the decoder follows. The document schema needs 3 (COSE array → payload
/// map → `pcrs` map / `cabundle` array); the decoder reads only the schema's types, so nothing
/// deeper is ever descended into: anything else is rejected at the first unexpected byte.
pub const MAX_CBOR_DEPTH: usize = 3;

/// The byte lengths a PCR value may have (SHA-256, SHA-384, SHA-512 digests).
pub const PCR_LENGTHS: [usize; 3] = [32, 48, 64];

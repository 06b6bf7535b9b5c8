//! Receipt ids.

use codec::Encode;
use sha2::{Digest, Sha256};

use crate::{Commitment, ModelId, ReceiptId, Subject};

/// Domain of [`receipt_id`].
pub const RECEIPT_DOMAIN: &[u8] = b"veritas/receipt/v1";

/// `SHA-256(RECEIPT_DOMAIN ‖ SCALE(genesis, subject, model, commitments))`, where
/// `commitments` is `[c_0, …, c_n]`: the id of the statement a receipt proves. Evidence bytes
/// (malleable proofs, signatures) are not part of it, so one statement has one id however it was
/// proved.
pub fn receipt_id(
	genesis: &[u8; 32],
	subject: &Subject,
	model: ModelId,
	commitments: &[Commitment],
) -> ReceiptId {
	let mut h = Sha256::new();
	h.update(RECEIPT_DOMAIN);
	h.update((genesis, subject, model, commitments).encode());
	h.finalize().into()
}

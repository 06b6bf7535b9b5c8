//! [`NsmAttester`]: the real Nitro Secure Module (feature `nsm`).
//!
//! Inside a Nitro enclave, `/dev/nsm` signs attestation documents with AWS's chain; the enclave's
//! PCRs are measured by the hypervisor, so nothing here chooses them. It cannot run outside an
//! enclave (no such device): [`NsmAttester::open`] then fails with
//! [`AttestError::Unavailable`]. Build with `--features nsm` inside the enclave image.

use aws_nitro_enclaves_nsm_api::{
	api::{Request, Response},
	driver::{nsm_exit, nsm_init, nsm_process_request},
};
use serde_bytes::ByteBuf;

use crate::{AttestError, AttestationRequest, Attester};

/// A session with the Nitro Secure Module.
#[derive(Debug)]
pub struct NsmAttester {
	fd: i32,
}

impl NsmAttester {
	/// Opens `/dev/nsm`.
	pub fn open() -> Result<Self, AttestError> {
		let fd = nsm_init();
		if fd < 0 {
			return Err(AttestError::Unavailable(
				"cannot open /dev/nsm (not inside a Nitro enclave?)".into(),
			));
		}
		Ok(Self { fd })
	}
}

impl Drop for NsmAttester {
	fn drop(&mut self) {
		nsm_exit(self.fd);
	}
}

impl Attester for NsmAttester {
	fn attest(&self, request: &AttestationRequest) -> Result<Vec<u8>, AttestError> {
		request.check()?;
		let bytes = |v: &Option<Vec<u8>>| v.clone().map(ByteBuf::from);
		let response = nsm_process_request(
			self.fd,
			Request::Attestation {
				user_data: bytes(&request.user_data),
				nonce: bytes(&request.nonce),
				public_key: bytes(&request.public_key),
			},
		);
		match response {
			Response::Attestation { document } => Ok(document),
			Response::Error(code) => Err(AttestError::Failed(format!("NSM error {code:?}"))),
			other => Err(AttestError::Failed(format!("unexpected NSM response {other:?}"))),
		}
	}
}

//! `binding`.

//! H1 (receipts bound to their submitter and fee) and H2 (evidence bound to the model's
//! content) of the security review.
use super::*;

/// A request for model 0 under `policy`.
fn request_with(policy: Vec<EvidenceKind>) -> RequestId {
	let id = NextRequestId::<Test>::get();
	assert_ok!(ask(policy, None));
	id
}

/// The receipt `node` makes for request `id` claiming `fee`, with attested documents for
/// segments 0 and 2 and a proof for segment 1 (policy TeeAttested, Zk, TeeAttested).
fn attested_receipt(node: &AccountId32, id: RequestId, fee: Balance) -> ReceiptOf<Test> {
	let mut r = receipt_with(node, Subject::Request(id), chain(), 1, fee);
	for i in [0u8, 2] {
		let s = statement_of(node, fee, Subject::Request(id), i, &chain());
		r.evidence[i as usize] = Evidence::TeeAttested {
			document: BoundedVec::truncate_from(attested_document(
				MEASUREMENT,
				&s.attestation_user_data(),
			)),
		};
	}
	r
}

fn attested_policy() -> Vec<EvidenceKind> {
	vec![EvidenceKind::TeeAttested, EvidenceKind::Zk, EvidenceKind::TeeAttested]
}

/// Another bonded node copies the honest node's receipt (as it would from the transaction
/// pool), with the same fee or the largest the request allows: every copy is refused with
/// a typed error, nothing moves, and the honest receipt still lands and is paid.
#[test]
fn h1_copied_receipt_is_refused() {
	new_test_ext().execute_with(|| {
		setup();
		// Attested segments and a proof: the copy's attestation no longer matches.
		let id = request_with(attested_policy());
		let honest = attested_receipt(&node(), id, FEE);
		for fee in [FEE, MAX_FEE] {
			let copy = ReceiptOf::<Test> { fee, ..honest.clone() };
			assert_noop!(submit(other_node(), copy), Error::<Test>::BadAttestation);
		}
		// A proof alone (segment 1, the attested segments made honestly for the copier):
		// its binding names the honest node.
		let mut copy = attested_receipt(&other_node(), id, FEE);
		copy.evidence[1] = honest.evidence[1].clone();
		assert_noop!(submit(other_node(), copy), Error::<Test>::InvalidProof);
		// Enclave-signed segments: the key is another node's.
		let signed = request(10);
		let copy = receipt(signed);
		assert_noop!(submit(other_node(), copy), Error::<Test>::KeyOfAnotherNode);

		let before = earned(&node());
		assert_ok!(submit(node(), honest));
		assert_ok!(submit(node(), receipt(signed)));
		assert_eq!(earned(&node()), before + 2 * FEE);
		assert_eq!(Results::<Test>::iter().count(), 2);
		assert!(Results::<Test>::iter().all(|(_, r)| r.node == node()));
		check_state();
	});
}

/// The node itself cannot raise its fee after its evidence was made.
#[test]
fn h1_a_fee_raised_after_signing_is_refused() {
	new_test_ext().execute_with(|| {
		setup();
		let id = request(10);
		let raised = ReceiptOf::<Test> { fee: MAX_FEE, ..receipt(id) };
		assert_noop!(submit(node(), raised), Error::<Test>::BadEnclaveSignature);
		let id = request_with(attested_policy());
		let raised = ReceiptOf::<Test> { fee: MAX_FEE, ..attested_receipt(&node(), id, FEE) };
		assert_noop!(submit(node(), raised), Error::<Test>::BadAttestation);
		check_state();
	});
}

/// Evidence made for other model content than model 0's registered file and manifest is
/// refused, whichever kind it is.
#[test]
fn h2_evidence_for_other_model_content_is_refused() {
	new_test_ext().execute_with(|| {
		setup();
		let other_content = |s: &mut SegmentStatement, which: u8| match which {
			0 => s.file_hash = [2; 32],
			_ => s.model_digest = [3; 32],
		};
		for which in 0..2 {
			// Tee: the enclave signed a statement about other content.
			let id = request(10);
			let mut r = receipt(id);
			let mut s = statement(Subject::Request(id), 0, &chain());
			other_content(&mut s, which);
			r.evidence[0] = tee(1, &s);
			assert_noop!(submit(node(), r), Error::<Test>::BadEnclaveSignature);
			// TeeAttested: the document attests other content.
			let id = request_with(attested_policy());
			let mut r = attested_receipt(&node(), id, FEE);
			let mut s = statement(Subject::Request(id), 2, &chain());
			other_content(&mut s, which);
			r.evidence[2] = Evidence::TeeAttested {
				document: BoundedVec::truncate_from(attested_document(
					MEASUREMENT,
					&s.attestation_user_data(),
				)),
			};
			assert_noop!(submit(node(), r), Error::<Test>::BadAttestation);
			// Zk: the proof's binding names other content.
			let mut r = receipt(id);
			r.evidence = attested_receipt(&node(), id, FEE).evidence;
			let mut s = statement(Subject::Request(id), 1, &chain());
			other_content(&mut s, which);
			r.evidence[1] = zk(&VK, &s);
			assert_noop!(submit(node(), r), Error::<Test>::InvalidProof);
		}
		check_state();
	});
}

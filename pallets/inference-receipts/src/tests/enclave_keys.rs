//! `enclave_keys`.

use std::collections::BTreeMap;

use super::*;

#[test]
fn are_looked_up_once_per_call_and_valid_for_their_own_measurement_only() {
	new_test_ext().execute_with(|| {
		setup();
		let s = statement(Subject::Request(0), 0, &chain());
		let evidence = tee(1, &s);
		let mut keys = BTreeMap::new();
		let mut zk = Vec::new();
		let check = |spec: &SegmentSpec, keys: &mut BTreeMap<_, _>, zk: &mut Vec<_>| {
			check_segment::<Test>(spec, &evidence, &s, &node().into(), keys, zk)
		};
		assert!(matches!(
			check(&tee_spec(), &mut keys, &mut zk),
			Ok(Trust::Enclave { measurement: MEASUREMENT })
		));
		assert_eq!(keys.get(&enclave(1).public().0), Some(&(MEASUREMENT, node().into())));
		// Found valid earlier in the call: not looked up again (the mock's record is gone).
		set_key(enclave(1).public().0, node().into(), false);
		assert!(check(&tee_spec(), &mut keys, &mut zk).is_ok());
		// But a segment of another measurement does not accept it.
		let other = SegmentSpec { measurement: Some([2; 32]), ..tee_spec() };
		assert!(matches!(check(&other, &mut keys, &mut zk), Err(Error::<Test>::InvalidEnclaveKey)));
		// A fresh call looks it up again.
		assert!(matches!(
			check(&tee_spec(), &mut BTreeMap::new(), &mut zk),
			Err(Error::<Test>::InvalidEnclaveKey)
		));
	});
}

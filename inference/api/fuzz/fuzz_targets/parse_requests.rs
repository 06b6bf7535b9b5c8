//! Any bytes as an inference, request input or chat request body: parsed or refused with a typed
//! error, never a panic; what parses satisfies the documented bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veritas_api::{
	parse_chat, parse_infer, parse_request_input, parse_request_output, Input, MAX_COMPLETION,
	MAX_INPUT, MAX_POLICY,
};

fuzz_target!(|data: &[u8]| {
	if let Ok(r) = parse_infer(data) {
		assert!(r.policy.len() <= MAX_POLICY);
		match r.input {
			Input::Fixed(v) => assert!(v.len() <= MAX_INPUT),
			Input::Features(t) => {
				assert!(t.values.len() <= MAX_INPUT && t.values.iter().all(|x| x.is_finite()));
				assert_eq!(t.shape.iter().product::<usize>(), t.values.len());
			},
		}
	}
	if let Ok(r) = parse_request_input(data) {
		// A salt that parses is a scalar of the field.
		assert!(r.salt.to_field().is_ok());
		match r.input {
			Input::Fixed(v) => assert!(v.len() <= MAX_INPUT),
			Input::Features(t) => {
				assert!(t.values.len() <= MAX_INPUT && t.values.iter().all(|x| x.is_finite()));
				assert_eq!(t.shape.iter().product::<usize>(), t.values.len());
			},
		}
	}
	if let Ok(salt) = parse_request_output(data) {
		assert!(!salt.is_none() && salt.to_field().is_ok());
	}
	if let Ok(r) = parse_chat(data) {
		assert!((1..=MAX_COMPLETION).contains(&r.max_tokens));
	}
});

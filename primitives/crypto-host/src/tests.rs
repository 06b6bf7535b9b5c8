//! Both engines and the byte-level host operations agree with arkworks' pairing, and refuse bad
//! input with the same typed errors.

use alloc::{vec, vec::Vec};
use ark_bn254::{Fq, Fq12, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{One, UniformRand, Zero};
use ark_std::test_rng;

use crate::{ops, wire, Arkworks, Bn254Engine, Bn254Error, Host, MAX_MSM_LEN, MAX_PAIRS};

fn random_pairs(n: usize) -> (Vec<G1Affine>, Vec<G2Affine>) {
	let rng = &mut test_rng();
	(
		(0..n).map(|_| G1Projective::rand(rng).into_affine()).collect(),
		(0..n).map(|_| ark_bn254::G2Projective::rand(rng).into_affine()).collect(),
	)
}

/// A G1 point with a valid encoding that is not on the curve: (1, 1).
fn off_curve_g1() -> G1Affine {
	G1Affine::new_unchecked(Fq::one(), Fq::one())
}

fn both<T: PartialEq + core::fmt::Debug>(f: impl Fn(bool) -> T) -> T {
	let host = f(true);
	let pure = f(false);
	assert_eq!(host, pure, "Host and Arkworks disagree");
	host
}

fn mml(host: bool, a: &[G1Affine], b: &[G2Affine]) -> Result<Fq12, Bn254Error> {
	if host {
		Host::multi_miller_loop(a, b)
	} else {
		Arkworks::multi_miller_loop(a, b)
	}
}

fn product_is_one(host: bool, a: &[G1Affine], b: &[G2Affine]) -> Result<bool, Bn254Error> {
	if host {
		Host::pairing_product_is_one(a, b)
	} else {
		Arkworks::pairing_product_is_one(a, b)
	}
}

fn msm(host: bool, bases: &[G1Affine], scalars: &[Fr]) -> Result<G1Projective, Bn254Error> {
	if host {
		Host::msm_g1(bases, scalars)
	} else {
		Arkworks::msm_g1(bases, scalars)
	}
}

mod agree {
	use super::*;

	#[test]
	fn with_the_arkworks_pairing_on_random_points() {
		for n in [1, 2, 4, 9] {
			let (a, b) = random_pairs(n);
			let f = both(|h| {
				mml(h, &a, &b).and_then(|f| {
					if h {
						Host::final_exponentiation(f)
					} else {
						Arkworks::final_exponentiation(f)
					}
				})
			});
			assert_eq!(f, Ok(ops::reference_pairing_product(&a, &b)), "n = {n}");
		}
	}

	#[test]
	fn on_bilinearity_and_its_violation() {
		let rng = &mut test_rng();
		let (p, q) = (G1Affine::generator(), G2Affine::generator());
		let x = Fr::rand(rng);
		// e(x·P, Q) · e(−P, x·Q) = 1.
		let a = vec![(p * x).into_affine(), -p];
		let b = vec![q, (q * x).into_affine()];
		assert_eq!(both(|h| product_is_one(h, &a, &b)), Ok(true));
		let b_wrong = vec![q, (q * (x + Fr::one())).into_affine()];
		assert_eq!(both(|h| product_is_one(h, &a, &b_wrong)), Ok(false));
	}

	#[test]
	fn on_identity_points_and_empty_input() {
		let (a, b) = random_pairs(2);
		let with_identity_a = vec![a[0], G1Affine::zero()];
		let with_identity_b = vec![b[0], b[1]];
		let expected = ops::reference_pairing_product(&with_identity_a, &with_identity_b);
		let f = both(|h| {
			mml(h, &with_identity_a, &with_identity_b).and_then(Arkworks::final_exponentiation)
		});
		assert_eq!(f, Ok(expected));
		// The empty product is one.
		assert_eq!(both(|h| product_is_one(h, &[], &[])), Ok(true));
	}

	#[test]
	fn on_msm_with_a_naive_sum() {
		let rng = &mut test_rng();
		for n in [0, 1, 3, 65] {
			let bases: Vec<G1Affine> =
				(0..n).map(|_| G1Projective::rand(rng).into_affine()).collect();
			let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(rng)).collect();
			let naive: G1Projective = bases.iter().zip(&scalars).map(|(b, s)| *b * s).sum();
			assert_eq!(both(|h| msm(h, &bases, &scalars)), Ok(naive), "n = {n}");
		}
	}
}

mod subgroup {
	use super::*;
	use ark_bn254::Fq2;

	/// A point on the twist outside the prime-order subgroup: the first x = i + k (k = 0, 1, ...)
	/// with a y, not cleared of the cofactor.
	fn off_subgroup() -> G2Affine {
		(0u64..)
			.find_map(|k| {
				let p =
					G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(k), Fq::one()), false)?;
				(!p.is_in_correct_subgroup_assuming_on_curve()).then_some(p)
			})
			.expect("the twist has points outside the subgroup")
	}

	#[test]
	fn accepts_subgroup_points_and_refuses_the_others_alike() {
		let (_, b) = random_pairs(3);
		let g = |h: bool, p: &[G2Affine]| {
			if h {
				Host::g2_in_subgroup(p)
			} else {
				Arkworks::g2_in_subgroup(p)
			}
		};
		assert_eq!(both(|h| g(h, &b)), Ok(true));
		let mut bad = b.clone();
		bad[1] = off_subgroup();
		assert!(bad[1].is_on_curve());
		assert_eq!(both(|h| g(h, &bad)), Ok(false));
		bad[1] = G2Affine::new_unchecked(b[0].x, b[0].x);
		assert_eq!(both(|h| g(h, &bad)), Err(Bn254Error::NotOnCurve));
		assert_eq!(both(|h| g(h, &[])), Ok(true));
		assert_eq!(ops::g2_in_subgroup(&[0u8; 127]), Err(Bn254Error::Malformed));
	}
}

mod refuse {
	use super::*;

	#[test]
	fn unequal_pair_counts() {
		let (a, b) = random_pairs(2);
		assert_eq!(both(|h| mml(h, &a, &b[..1])), Err(Bn254Error::LengthMismatch));
		assert_eq!(both(|h| msm(h, &a, &[Fr::one()])), Err(Bn254Error::LengthMismatch));
	}

	#[test]
	fn points_off_the_curve() {
		let (mut a, b) = random_pairs(2);
		a[1] = off_curve_g1();
		assert_eq!(both(|h| mml(h, &a, &b)), Err(Bn254Error::NotOnCurve));
		assert_eq!(both(|h| msm(h, &a, &[Fr::one(), Fr::one()])), Err(Bn254Error::NotOnCurve));
		let (a, mut b) = random_pairs(1);
		b[0] = G2Affine::new_unchecked(b[0].x, b[0].x);
		assert_eq!(both(|h| mml(h, &a, &b)), Err(Bn254Error::NotOnCurve));
	}

	#[test]
	fn too_many_pairs_or_terms() {
		let a = vec![G1Affine::generator(); MAX_PAIRS + 1];
		let b = vec![G2Affine::generator(); MAX_PAIRS + 1];
		assert_eq!(both(|h| mml(h, &a, &b)), Err(Bn254Error::TooLarge));
		let a = vec![G1Affine::generator(); MAX_MSM_LEN + 1];
		let s = vec![Fr::one(); MAX_MSM_LEN + 1];
		assert_eq!(both(|h| msm(h, &a, &s)), Err(Bn254Error::TooLarge));
	}

	#[test]
	fn the_final_exponentiation_of_zero() {
		assert_eq!(Host::final_exponentiation(Fq12::zero()), Err(Bn254Error::Zero));
		assert_eq!(Arkworks::final_exponentiation(Fq12::zero()), Err(Bn254Error::Zero));
	}
}

/// The host operations on raw bytes: every malformed input has its error.
mod host_bytes {
	use super::*;

	fn g1_bytes() -> Vec<u8> {
		wire::encode_g1s(&[G1Affine::generator()])
	}

	fn g2_bytes() -> Vec<u8> {
		wire::encode_g2s(&[G2Affine::generator()])
	}

	#[test]
	fn accept_well_formed_points() {
		let f = ops::multi_miller_loop(&g1_bytes(), &g2_bytes()).expect("valid pair");
		assert_eq!(f.len(), wire::FQ12_LEN);
		let out = ops::final_exponentiation(&f).expect("non-zero");
		assert_eq!(
			wire::decode_fq12(&out),
			Ok(ops::reference_pairing_product(&[G1Affine::generator()], &[G2Affine::generator()]))
		);
	}

	#[test]
	fn refuse_truncated_and_oversized_points() {
		let g1 = g1_bytes();
		assert_eq!(ops::multi_miller_loop(&g1[..63], &g2_bytes()), Err(Bn254Error::Malformed));
		let mut long = g1.clone();
		long.push(0);
		assert_eq!(ops::multi_miller_loop(&long, &g2_bytes()), Err(Bn254Error::Malformed));
		assert_eq!(ops::multi_miller_loop(&g1, &g2_bytes()[..127]), Err(Bn254Error::Malformed));
		assert_eq!(ops::multi_miller_loop(&g1, &[]), Err(Bn254Error::LengthMismatch));
	}

	#[test]
	fn refuse_non_canonical_coordinates_and_flags() {
		// x = q (all bits of the modulus and above set, flags clear): not canonical.
		let mut g1 = vec![0xffu8; 64];
		g1[63] = 0x3f;
		assert_eq!(ops::multi_miller_loop(&g1, &g2_bytes()), Err(Bn254Error::Malformed));
		// Both flag bits set.
		let mut g1 = g1_bytes();
		g1[63] |= 0xc0;
		assert_eq!(ops::multi_miller_loop(&g1, &g2_bytes()), Err(Bn254Error::Malformed));
	}

	#[test]
	fn refuse_points_off_the_curve() {
		let off = wire::encode_g1s(&[off_curve_g1()]);
		assert_eq!(ops::multi_miller_loop(&off, &g2_bytes()), Err(Bn254Error::NotOnCurve));
		assert_eq!(ops::msm_g1(&off, &[1u8; 32][..]).map(|_| ()), Err(Bn254Error::NotOnCurve));
	}

	#[test]
	fn refuse_scalars_not_below_r() {
		let s = [0xffu8; 32];
		assert_eq!(ops::msm_g1(&g1_bytes(), &s), Err(Bn254Error::Malformed));
		assert_eq!(ops::msm_g1(&g1_bytes(), &s[..31]), Err(Bn254Error::Malformed));
	}

	#[test]
	fn refuse_malformed_fq12() {
		assert_eq!(ops::final_exponentiation(&[0u8; 383]), Err(Bn254Error::Malformed));
		assert_eq!(ops::final_exponentiation(&[0xffu8; 384]), Err(Bn254Error::Malformed));
		assert_eq!(ops::final_exponentiation(&[0u8; 384]), Err(Bn254Error::Zero));
	}

	#[test]
	fn never_panic_on_arbitrary_bytes() {
		let mut seed = 0x9e37_79b9_7f4a_7c15u64;
		let mut next = || {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			seed
		};
		for _ in 0..2000 {
			let len = (next() % 400) as usize;
			let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
			let half = len / 2;
			let _ = ops::multi_miller_loop(&bytes[..half], &bytes[half..]);
			let _ = ops::final_exponentiation(&bytes);
			let _ = ops::msm_g1(&bytes[..half], &bytes[half..]);
		}
	}
}

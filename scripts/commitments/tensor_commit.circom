// Veritas tensor commitment, as a circom circuit over circomlib's Poseidon(4): the rule of
// primitives/primitives/src/commitment.rs, written independently of the Rust code.
//
//   S = [K, shape[0..K], values[0..N]], zero-padded to a multiple of 3
//   acc = 0; for each triple (a, b, c) of S: acc = Poseidon(acc, a, b, c)
//   commitment = acc
//
// Negative values are given as negative decimals; the witness generator reduces them modulo r,
// which is the rule's r - |x|.
//
// A salted commitment blinds it with a secret scalar: Poseidon(commitment, salt, 2^64, 0) for a
// salt other than 0, the commitment itself for salt 0.
pragma circom 2.2.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/comparators.circom";

template TensorCommit(K, N) {
	signal input shape[K];
	signal input values[N];
	signal output commitment;

	var L = 1 + K + N;
	var C = (L + 2) \ 3;
	var seq[3 * C];
	seq[0] = K;
	for (var i = 0; i < K; i++) {
		seq[1 + i] = shape[i];
	}
	for (var i = 0; i < N; i++) {
		seq[1 + K + i] = values[i];
	}
	for (var i = L; i < 3 * C; i++) {
		seq[i] = 0;
	}

	component h[C];
	signal acc[C + 1];
	acc[0] <== 0;
	for (var c = 0; c < C; c++) {
		h[c] = Poseidon(4);
		h[c].inputs[0] <== acc[c];
		h[c].inputs[1] <== seq[3 * c];
		h[c].inputs[2] <== seq[3 * c + 1];
		h[c].inputs[3] <== seq[3 * c + 2];
		acc[c + 1] <== h[c].out;
	}
	commitment <== acc[C];
}

template SaltedTensorCommit(K, N) {
	signal input shape[K];
	signal input values[N];
	signal input salt;
	signal output commitment;

	component plain = TensorCommit(K, N);
	plain.shape <== shape;
	plain.values <== values;

	component blind = Poseidon(4);
	blind.inputs[0] <== plain.commitment;
	blind.inputs[1] <== salt;
	blind.inputs[2] <== 18446744073709551616;
	blind.inputs[3] <== 0;

	component unsalted = IsZero();
	unsalted.in <== salt;
	signal keep <== unsalted.out * plain.commitment;
	commitment <== keep + (1 - unsalted.out) * blind.out;
}

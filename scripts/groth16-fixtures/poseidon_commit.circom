// Veritas test fixture: a Poseidon commitment (circomlib's Poseidon over BN254, the parameters
// ARCHITECTURE.md names for activation commitments) bound to a public nonce.
// Statement: commitment = Poseidon(x[0], x[1], x[2], x[3]) for private x, and the proof is made for
// this nonce (a request id / node nonce stand-in).
// Public signals (public.json order; outputs come first): [commitment, nonce].
pragma circom 2.2.0;

include "circomlib/circuits/poseidon.circom";

template PoseidonCommit(N) {
	signal input x[N];
	signal input nonce;
	signal output commitment;

	component hash = Poseidon(N);
	for (var i = 0; i < N; i++) {
		hash.inputs[i] <== x[i];
	}
	commitment <== hash.out;

	// snarkjs already binds every public input through the key's IC points, but an explicit
	// quadratic constraint keeps the nonce in the R1CS itself, whatever the backend.
	signal nonceSquared <== nonce * nonce;
}

component main {public [nonce]} = PoseidonCommit(4);

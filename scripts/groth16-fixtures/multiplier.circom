// Veritas test fixture: knowledge of a factorisation.
// Statement: the prover knows private a, b with a * b = c, for the public input c.
// Public signals (public.json order): [c].
pragma circom 2.2.0;

template Multiplier() {
	signal input a;
	signal input b;
	signal input c;

	c === a * b;
}

component main {public [c]} = Multiplier();

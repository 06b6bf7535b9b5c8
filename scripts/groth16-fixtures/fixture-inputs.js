#!/usr/bin/env node
// Helper of ../gen-groth16-fixtures.sh (plain Node, no dependencies).
//
//   node fixture-inputs.js input CIRCUIT        prints the fixed witness input of CIRCUIT (input.json)
//   node fixture-inputs.js wrong PUBLIC_JSON    prints PUBLIC_JSON with its LAST public input + 1 (mod r)
//   node fixture-inputs.js get JSON INDEX       prints element INDEX of a JSON array (one line)
//
// The input values are fixed here, so a re-run proves the same statements (the keys and proofs still
// change: the setup and the prover are randomised).
"use strict";

const fs = require("fs");

// The BN254 scalar field order (circom's default prime, "bn128").
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

const mod = (v) => ((v % R) + R) % R;
const dec = (v) => mod(v).toString(10);

const inputs = {
	// 3 * 11 = 33: c is the one public input.
	multiplier: () => ({ a: "3", b: "11", c: "33" }),

	// y[i] = 7^(i+1) mod r and x[i] = y[i]^2 mod r, i = 0..63: the x (public) start small and wrap
	// the field from i = 45 on, so the vectors hold full-size field elements too.
	many_inputs: () => {
		const y = [];
		let p = 1n;
		for (let i = 0; i < 64; i++) {
			p = mod(p * 7n);
			y.push(p);
		}
		return { x: y.map((v) => dec(v * v)), y: y.map(dec) };
	},

	// commitment = Poseidon(1, 2, 3, 4); the nonce is an arbitrary 128-bit value.
	poseidon_commit: () => ({
		x: ["1", "2", "3", "4"],
		nonce: "340282366920938463463374607431768211297",
	}),
};

const [cmd, ...args] = process.argv.slice(2);
switch (cmd) {
	case "input": {
		const make = inputs[args[0]];
		if (!make) throw new Error(`unknown circuit '${args[0]}'`);
		process.stdout.write(JSON.stringify(make(), null, 1) + "\n");
		break;
	}
	case "wrong": {
		const pubs = JSON.parse(fs.readFileSync(args[0], "utf8"));
		if (!Array.isArray(pubs) || pubs.length === 0) throw new Error(`${args[0]}: no public inputs`);
		const last = pubs.length - 1;
		pubs[last] = dec(BigInt(pubs[last]) + 1n);
		process.stdout.write(JSON.stringify(pubs, null, 1) + "\n");
		break;
	}
	case "get": {
		const arr = JSON.parse(fs.readFileSync(args[0], "utf8"));
		const v = arr[Number(args[1])];
		if (v === undefined) throw new Error(`${args[0]}: no element ${args[1]}`);
		process.stdout.write(String(v) + "\n");
		break;
	}
	default:
		throw new Error(`usage: fixture-inputs.js input CIRCUIT | wrong PUBLIC_JSON | get JSON INDEX`);
}

/** Password hashing with argon2id (memory-hard; hash-wasm is pure WebAssembly, so it runs on Deploy). */
import { argon2id, argon2Verify } from "hash-wasm";

/** Cost of the hash: OWASP's argon2id minimum is 19 MiB and 2 iterations. */
export interface PasswordCost {
  memoryKib: number;
  iterations: number;
}

/** Hashes a password into a self-describing PHC string (the cost travels with it). */
export async function hashPassword(password: string, cost: PasswordCost): Promise<string> {
  return await argon2id({
    password: password.normalize("NFKC"),
    salt: crypto.getRandomValues(new Uint8Array(16)),
    parallelism: 1,
    iterations: cost.iterations,
    memorySize: cost.memoryKib,
    hashLength: 32,
    outputType: "encoded",
  });
}

/** True when `password` matches `hash`. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return await argon2Verify({ password: password.normalize("NFKC"), hash });
}

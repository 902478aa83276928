/** Account numbers: 10 digits, the last a Luhn check digit, so a mistyped number is caught early. */

/** Digits in an account number, check digit included. */
export const ACCOUNT_NUMBER_LENGTH = 10;

/** The Luhn check digit for a string of digits. */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    // Doubling starts at the rightmost payload digit, the one beside the check digit.
    let digit = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `value` is 10 digits whose last is the Luhn check digit of the first nine. */
export function isValidAccountNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  return luhnCheckDigit(value.slice(0, 9)) === Number(value[9]);
}

/** A fresh random account number; uniqueness is the database's to enforce (callers retry). */
export function generateAccountNumber(random = cryptoRandomDigits): string {
  // A leading 9 is kept for the clearing network's magic counterparty numbers (9999…).
  const payload = String(1 + (random(1).charCodeAt(0) - 48) % 8) + random(8);
  return payload + luhnCheckDigit(payload);
}

function cryptoRandomDigits(count: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(count * 2));
  let digits = "";
  for (let i = 0; digits.length < count; i++) {
    // 250 is the largest multiple of 10 below 256: rejecting the rest keeps digits uniform.
    if (i >= bytes.length) return digits + cryptoRandomDigits(count - digits.length);
    if (bytes[i] < 250) digits += String(bytes[i] % 10);
  }
  return digits;
}

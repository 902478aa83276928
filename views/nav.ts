/**
 * The signed-in navigation. New sections (Developers, Payments) add one entry here and a page
 * module under routes/pages/; `section` is what a page passes to mark itself current.
 */

/** A main navigation entry. */
export interface NavItem {
  section: string;
  href: string;
  label: string;
}

/** The main navigation, in order. */
export const NAV_ITEMS: readonly NavItem[] = [
  { section: "dashboard", href: "/app", label: "Dashboard" },
  { section: "accounts", href: "/app/accounts", label: "Accounts" },
  { section: "transfers", href: "/app/transfers", label: "Transfers" },
  { section: "transactions", href: "/app/transactions", label: "Transactions" },
  { section: "payments", href: "/app/payments", label: "Payments" },
  { section: "standing_orders", href: "/app/standing_orders", label: "Standing orders" },
  { section: "debit_orders", href: "/app/debit_orders", label: "Debit orders" },
  { section: "developers", href: "/app/developers", label: "Developers" },
];

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
  { section: "fx", href: "/app/fx", label: "FX" },
  { section: "transactions", href: "/app/transactions", label: "Transactions" },
  { section: "payments", href: "/app/payments", label: "Payments" },
  { section: "cards", href: "/app/cards", label: "Cards" },
  { section: "standing_orders", href: "/app/standing_orders", label: "Standing orders" },
  { section: "debit_orders", href: "/app/debit_orders", label: "Debit orders" },
  { section: "developers", href: "/app/developers", label: "Developers" },
];

/** The API's own documents, linked from every signed-in page. */
export const DEVELOPER_LINKS: readonly { href: string; label: string }[] = [
  { href: "/docs", label: "API docs" },
  { href: "/openapi.json", label: "OpenAPI" },
];

// A consumer of nested payloads (the nested-payloads fixture): objects and
// arrays of objects inside a payload are typed all the way down.
import type { DomainEvent, OrderPlacedLinesItem, OrderPlacedTotal } from "../../codegen/tests/fixtures/nested-payloads/expected/typescript/events";

export function summary(event: DomainEvent): string {
  switch (event.event_name) {
    case "OrderPlaced": {
      const units = event.payload.lines.reduce((sum: number, line: OrderPlacedLinesItem) => sum + line.qty, 0);
      const city = event.payload.ship_to?.city ?? "pickup";
      return `${units} units, ${event.payload.total.amount_cents} ${event.payload.total.currency}, to ${city}`;
    }
    case "OrderRepriced":
      return `${event.payload.total.amount_cents} (tax ${event.payload.total.tax?.rate ?? 0})`;
    case "OrderRefunded":
      return `${event.payload.refund.amount_cents} ${event.payload.refund.currency} back`;
    case "OrderCategorized":
      return path(event.payload.category);
  }
}

export const total: OrderPlacedTotal = {
  amount_cents: 1200,
  // @ts-expect-error: a nested enum value outside the set
  currency: "gbp",
};

// @ts-expect-error: a line needs its sku
export const line: OrderPlacedLinesItem = { qty: 1 };

// One named type, used by two events.
import type { Money } from "../../codegen/tests/fixtures/nested-payloads/expected/typescript/events";

export function amounts(event: DomainEvent): Money[] {
  switch (event.event_name) {
    case "OrderRefunded":
      return [event.payload.refund, ...(event.payload.fee ? [event.payload.fee] : [])];
    case "OrderPlaced":
      return event.payload.lines.flatMap((line) => (line.price ? [line.price] : []));
    default:
      return [];
  }
}

// A type that holds itself: a category tree.
import type { Category } from "../../codegen/tests/fixtures/nested-payloads/expected/typescript/events";

export function path(category: Category): string {
  return category.parent ? `${path(category.parent)} / ${category.name}` : category.name;
}

export function leaves(category: Category): number {
  return category.children.length === 0 ? 1 : category.children.reduce((sum, child) => sum + leaves(child), 0);
}

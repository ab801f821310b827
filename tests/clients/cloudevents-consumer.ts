// A consumer of CloudEvents (the cloudevents fixture: the CNCF JSON schema as
// published, with the catalog's wire names): `type` narrows `data`.
import type { DomainEvent, EventName, OrderPlaced } from "../../codegen/tests/fixtures/cloudevents/expected/typescript/events";

export function describe(event: DomainEvent): string {
  switch (event.type) {
    case "com.acme.orders.placed.v1":
      return `${event.data.total_cents} ${event.data.currency} from ${event.source}`;
    case "com.acme.orders.shipped.v1":
      return event.data.tracking_code ?? event.data.carrier;
    case "com.acme.orders.cancelled.v1":
      return event.data.reason ?? `cancelled at ${event.time ?? "an unknown time"}`;
  }
}

export const placed: OrderPlaced = {
  order_id: "o-1",
  customer_id: "c-1",
  total_cents: 1200,
  // @ts-expect-error: a currency outside the catalog's enum
  currency: "gbp",
  placed_at: "2025-11-05T14:00:00Z",
};

// @ts-expect-error: an event type the catalog does not define
export const lost: EventName = "com.acme.orders.lost.v1";

export function wrongData(event: DomainEvent): number {
  if (event.type === "com.acme.orders.shipped.v1") {
    // @ts-expect-error: a shipped order's data has no total
    return event.data.total_cents;
  }
  return 0;
}

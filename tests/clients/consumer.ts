// A consumer of the project's generated declarations, compiled by
// `tsc --strict --noEmit`. Each @ts-expect-error line must fail to type-check:
// if the declarations ever accept it, tsc reports the unused directive.
import type {
  ConversationStatus,
  ConversationTransitions,
  CustomerDisabled,
  DomainEvent,
  Envelope,
  EventName,
  ProviderConfigured,
  ProviderKind,
} from "../../generated/typescript/events";

export function describe(event: DomainEvent): string {
  switch (event.event_name) {
    case "ProviderConfigured": {
      const kind: ProviderKind = event.payload.kind;
      return `provider ${event.payload.provider_id} (${kind})`;
    }
    case "ConversationCreated": {
      const status: ConversationStatus = event.payload.status;
      return event.payload.topic ?? status;
    }
    case "CustomerDisabled":
      return event.payload.reason ?? "no reason given";
    default:
      return event.event_name;
  }
}

export const disabled: Envelope<"CustomerDisabled", CustomerDisabled> = {
  event_name: "CustomerDisabled",
  event_id: "01JC9ZAFDN7X2MJ7GAX4JFA0B5",
  aggregate_type: "Customer",
  aggregate_id: "cus_1",
  occurred_at: "2025-11-05T14:00:00Z",
  actor: "system:billing",
  version: 3,
  payload: { customer_id: "cus_1" },
};

// @ts-expect-error a required field (customer_id) is missing
export const missingField: ProviderConfigured = { provider_id: "prv_1", kind: "sms" };

// @ts-expect-error "fax" is not one of the provider kinds
export const outsideEnum: ProviderKind = "fax";

// @ts-expect-error the catalog has no such event
export const unknownEvent: EventName = "CustomerTeleported";

export const wrongPayload: DomainEvent = {
  event_name: "ProviderConfigured",
  event_id: "01JC9ZAFDN7X2MJ7GAX4JFA0B5",
  aggregate_type: "Provider",
  aggregate_id: "prv_1",
  occurred_at: "2025-11-05T14:00:00Z",
  actor: "system:setup",
  version: 1,
  // @ts-expect-error the payload of another event does not fit this event name
  payload: { customer_id: "cus_1", name: "Acme" },
};

export function narrowed(event: DomainEvent): string {
  if (event.event_name === "CustomerCreated") {
    // @ts-expect-error CustomerCreated has no `reason`: the union narrowed the payload
    return event.payload.reason;
  }
  return "";
}

export const closesFrom: ConversationTransitions["ConversationClosed"]["from"] = "open";

// @ts-expect-error a conversation is closed from `open` only
export const closesFromArchived: ConversationTransitions["ConversationClosed"]["from"] = "archived";

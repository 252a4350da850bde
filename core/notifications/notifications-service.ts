// The notifications capability as the shells see it: subscriptions, deliveries, redelivery, and the notifier that sends.
import type { CoreContext } from '../core-context';
import type { SecretSources } from '../workforce/secret-ref';
import { type DeliveryFilter, listDeliveries, redeliver } from './deliveries';
import { createNotifier, type Notifier, type NotifierOptions } from './notifier';
import type { Delivery, SubscribeInput, Subscription } from './subscription-schema';
import { createSubscription, listSubscriptions, removeSubscription } from './subscriptions';
import type { WebhookSender } from './webhook-sender';

export interface NotificationsService {
  subscribe(input: SubscribeInput, actor: string): Promise<Subscription>;
  list(options?: { includeRemoved?: boolean }): Promise<Subscription[]>;
  unsubscribe(subscriptionId: string, actor: string): Promise<Subscription>;
  deliveries(filter?: DeliveryFilter): Promise<Delivery[]>;
  redeliver(deliveryId: number, actor: string): Promise<Delivery>;
  readonly notifier: Notifier;
}

export function createNotifications(core: CoreContext, options: { sender: WebhookSender; secrets?: SecretSources; notifier?: Partial<NotifierOptions> }): NotificationsService {
  const deps = { store: core.store, events: core.events, clock: core.clock, secrets: options.secrets };
  const notifier = createNotifier({ ...deps, logger: core.logger.child({ component: 'notifier' }), sender: options.sender, options: options.notifier });
  return {
    subscribe: (input, actor) => createSubscription(deps, input, actor),
    list: (listOptions) => listSubscriptions(core.store, listOptions),
    unsubscribe: (id, actor) => removeSubscription(deps, id, actor),
    deliveries: (filter) => listDeliveries(core.store, filter),
    redeliver: (id, actor) => redeliver(deps, id, actor),
    notifier,
  };
}

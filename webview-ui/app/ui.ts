// Small shared pieces of the dashboard: hyperscript alias, status badge, buttons, empty and error states.
import { type ComponentChildren, h } from 'preact';
import { stateGroup } from '../protocol/aura-data';
import type { Route } from '../protocol/messages';
import type { Backend } from './backend';

export { h };

export interface ViewProps {
  backend: Backend;
  route: Route;
  go(route: Route): void;
}

export function Badge({ status }: { status: string }) {
  return h('span', { class: `badge state-${stateGroup(status)}`, title: status }, status.replace(/_/g, ' '));
}

/** Marks a run that replays another (its calls are served from that run's record). */
export function ReplayingBadge({ of }: { of: string | undefined }) {
  return of ? h('span', { class: 'badge badge-replaying', title: `Replay of run ${of}: every call is served from its record`, 'data-testid': 'replaying' }, 'Replaying') : null;
}

export function Button(props: { onClick: () => void; children?: ComponentChildren; kind?: 'primary' | 'secondary' | 'danger'; disabled?: boolean; label?: string }) {
  return h(
    'button',
    { type: 'button', class: `btn ${props.kind ?? 'secondary'}`, onClick: props.onClick, disabled: props.disabled, 'aria-label': props.label },
    props.children,
  );
}

export function Empty({ children }: { children?: ComponentChildren }) {
  return h('p', { class: 'empty' }, children);
}

export function ErrorNote({ error }: { error: string }) {
  return h('p', { class: 'error', role: 'alert' }, error);
}

export function Loading() {
  return h('p', { class: 'loading', 'aria-busy': 'true' }, 'Loading…');
}

export function Section({ title, children, actions }: { title: string; children?: ComponentChildren; actions?: ComponentChildren }) {
  return h('section', { class: 'card', 'aria-label': title }, h('div', { class: 'card-head' }, h('h2', null, title), actions ? h('div', { class: 'actions' }, actions) : null), children);
}

export function when(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** The run/task resource URIs a view watches. */
export const isRunUri = (runId: string | undefined) => (uri: string) => !runId || uri === `aura://runs/${runId}` || uri.startsWith(`aura://runs/${runId}/`) || uri.startsWith('aura://tasks/');

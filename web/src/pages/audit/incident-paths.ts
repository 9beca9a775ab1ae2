/** The incident register's pages, for links from the alerts and the audit trail. */
export const INCIDENTS_PATH = '/admin/incidents';

export const incidentPath = (id: number) => `${INCIDENTS_PATH}/${id}`;

/** The form to open an incident, with the alerts and entries it starts from. */
export function newIncidentPath(from: { alerts?: number[]; entries?: number[] } = {}): string {
  const query = new URLSearchParams();
  if (from.alerts?.length) query.set('alerts', from.alerts.join(','));
  if (from.entries?.length) query.set('entries', from.entries.join(','));
  const text = query.toString();
  return text ? `${INCIDENTS_PATH}/new?${text}` : `${INCIDENTS_PATH}/new`;
}

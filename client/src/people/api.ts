import type { ChangeRoleRequest, LinkResponse, PeopleResponse, PersonView } from '#shared/access';
import { request } from '../api';

/** People of an agreement and their access; the server checks that the asker is a broker. */
const people = (id: string) => `/api/agreements/${encodeURIComponent(id)}/people`;
const person = (id: string, personId: string) => `${people(id)}/${encodeURIComponent(personId)}`;

export function listPeople(id: string, token: string): Promise<PeopleResponse> {
  return request('GET', people(id), { token });
}

export function revokePerson(id: string, token: string, personId: string): Promise<void> {
  return request('DELETE', person(id, personId), { token });
}

export function reissueLink(id: string, token: string, personId: string, expiresInDays: number | null): Promise<LinkResponse> {
  return request('POST', `${person(id, personId)}/links`, { token, body: { expiresInDays } });
}

export function changeRole(id: string, token: string, personId: string, body: ChangeRoleRequest): Promise<{ person: PersonView }> {
  return request('PATCH', person(id, personId), { token, body });
}

/** Fired on window when the list of people changed here (an invite), so panels reload it. */
export const PEOPLE_CHANGED = 'cg:people-changed';

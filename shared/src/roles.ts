/** Who a person is in an agreement. Roles decide what each connection and command may do. */
export const ROLES = ['broker', 'negotiator', 'legal', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export const SECTORS = ['ngo', 'business', 'public', 'other'] as const;
export type Sector = (typeof SECTORS)[number];

export const ROLE_LABELS: Record<Role, string> = {
  broker: 'Broker',
  negotiator: 'Negotiator',
  legal: 'Legal reviewer',
  observer: 'Observer',
};

export const SECTOR_LABELS: Record<Sector, string> = {
  ngo: 'NGO',
  business: 'Business',
  public: 'Public body',
  other: 'Other',
};

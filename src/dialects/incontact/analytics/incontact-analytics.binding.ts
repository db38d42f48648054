import { IncontactAnalyticsSource } from './incontact-analytics.source';

/** The analytics port of the incontact dialect. */
export const INCONTACT_ANALYTICS = IncontactAnalyticsSource;

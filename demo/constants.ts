/** The demo's Sanity project and dataset (local only; no such project exists at Sanity). */
export const DEMO_PROJECT_ID = 'clerkdemo'
export const DEMO_DATASET = 'production'

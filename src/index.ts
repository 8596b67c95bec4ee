export * from './releases';
export * from './validation';

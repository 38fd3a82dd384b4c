export * from './resultCodes';
export * from './callCauses';

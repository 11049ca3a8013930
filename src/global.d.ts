import type { BootData } from './types';

declare global {
	interface Window {
		smtpPortHelper?: BootData;
	}
}

export {};

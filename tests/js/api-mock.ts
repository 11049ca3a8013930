/**
 * The REST module with its requests replaced by jest mocks, for the tests of the page and its hooks.
 * In a test file next to src/api.ts's users:
 *
 *     jest.mock( '../api', () => require( '../../tests/js/api-mock' ).mockApiModule() );
 *     const api = mockedApi();
 */
import * as realApi from '../../src/api';

export function mockApiModule() {
	return {
		...jest.requireActual( '../../src/api' ),
		getSettings: jest.fn(),
		saveSettings: jest.fn(),
		runPortTests: jest.fn(),
		sendTestEmail: jest.fn(),
		getOutbox: jest.fn(),
		retryOutboxMessage: jest.fn(),
		deleteOutboxMessage: jest.fn(),
		startOAuth: jest.fn(),
		disconnectOAuth: jest.fn(),
		// The DKIM key panel asks once when shown; tests that do not look at it leave it loading.
		getDkimKey: jest.fn( () => new Promise( () => {} ) ),
		changeDkimKey: jest.fn(),
		removeDkimKey: jest.fn(),
	};
}

/** The mocked requests, typed (the module is the mock once jest.mock() has replaced it). */
export function mockedApi() {
	return {
		getSettings: realApi.getSettings as jest.MockedFunction<
			typeof realApi.getSettings
		>,
		saveSettings: realApi.saveSettings as jest.MockedFunction<
			typeof realApi.saveSettings
		>,
		runPortTests: realApi.runPortTests as jest.MockedFunction<
			typeof realApi.runPortTests
		>,
		sendTestEmail: realApi.sendTestEmail as jest.MockedFunction<
			typeof realApi.sendTestEmail
		>,
		getOutbox: realApi.getOutbox as jest.MockedFunction<
			typeof realApi.getOutbox
		>,
		retryOutboxMessage: realApi.retryOutboxMessage as jest.MockedFunction<
			typeof realApi.retryOutboxMessage
		>,
		deleteOutboxMessage: realApi.deleteOutboxMessage as jest.MockedFunction<
			typeof realApi.deleteOutboxMessage
		>,
		startOAuth: realApi.startOAuth as jest.MockedFunction<
			typeof realApi.startOAuth
		>,
		disconnectOAuth: realApi.disconnectOAuth as jest.MockedFunction<
			typeof realApi.disconnectOAuth
		>,
	};
}

/**
 * The settings page's requests (settings, save, port test, test email), reset before each test
 * of the file that calls this (at its top level, after its jest.mock() of the REST module).
 */
export function settingsPageApi() {
	const api = mockedApi();
	beforeEach( () => {
		api.getSettings.mockReset();
		api.saveSettings.mockReset();
		api.runPortTests.mockReset();
		api.sendTestEmail.mockReset();
	} );
	return api;
}

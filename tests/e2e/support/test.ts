/**
 * The specs' `test` and `expect`: @wordpress/e2e-test-utils-playwright's, with the administrator's
 * REST helper (`requestUtils`, one per worker, logged in by the global set-up's storageState) on a
 * connection per request. Apache closes an idle keep-alive connection after 5 s; a request sent on
 * it at that moment ends in ECONNRESET, and a POST is not retried — a test then fails in its
 * beforeEach depending on how long the previous step took.
 */
import { request } from '@playwright/test';
import {
	RequestUtils,
	expect,
	test as base,
} from '@wordpress/e2e-test-utils-playwright';
import fs from 'fs';

export { expect };

export const test = base.extend< object, { requestUtils: RequestUtils } >( {
	requestUtils: [
		async ( {}, use, workerInfo ) => {
			const storageStatePath = process.env.STORAGE_STATE_PATH as string;
			const storageState = JSON.parse(
				fs.readFileSync( storageStatePath, 'utf8' )
			);
			const baseURL = workerInfo.project.use.baseURL;
			const requestContext = await request.newContext( {
				baseURL,
				storageState: { cookies: storageState.cookies, origins: [] },
				extraHTTPHeaders: { Connection: 'close' },
			} );
			await use(
				new RequestUtils( requestContext, {
					storageState,
					storageStatePath,
					baseURL,
				} )
			);
			await requestContext.dispose();
		},
		// As registered by the package (an override must keep it); its types know no `auto` here.
		{ scope: 'worker', auto: true } as { scope: 'worker' },
	],
} );

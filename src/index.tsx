// First: where the lazy chunks load from.
import './public-path';
import domReady from '@wordpress/dom-ready';
import { createRoot, StrictMode } from '@wordpress/element';

import { bootData } from './boot';
import { SettingsApp } from './components/SettingsApp';
import './index.scss';

domReady( () => {
	const root = document.getElementById( bootData().rootId );
	if ( ! root ) {
		return;
	}
	createRoot( root ).render(
		<StrictMode>
			<SettingsApp />
		</StrictMode>
	);
} );

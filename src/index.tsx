import domReady from '@wordpress/dom-ready';
import { createRoot, StrictMode } from '@wordpress/element';

import { SettingsApp } from './components/SettingsApp';
import './index.scss';

domReady( () => {
	const root = document.getElementById(
		window.smtpPortHelper?.rootId ?? 'smtp-port-helper-root'
	);
	if ( ! root ) {
		return;
	}
	createRoot( root ).render(
		<StrictMode>
			<SettingsApp />
		</StrictMode>
	);
} );

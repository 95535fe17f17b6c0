import { describe, expect, it } from 'vitest';
import { FLATTR_COMPOSITION_ALIAS, manifests } from '../src/manifests.js';
import manifest from '../../wwwroot/App_Plugins/Flattr/umbraco-package.json';

describe('manifests', () => {
	it('manifests_WorkspaceView_ShowsOnlyOnDocumentsComposedWithFlattr', () => {
		const view = manifests.find((m) => m.type === 'workspaceView') as { conditions: Array<{ alias: string; match: string }> };

		expect(view.conditions).toEqual([
			{ alias: 'Umb.Condition.WorkspaceAlias', match: 'Umb.Workspace.Document' },
			{ alias: 'Umb.Condition.WorkspaceContentTypeAlias', match: FLATTR_COMPOSITION_ALIAS },
		]);
		expect(FLATTR_COMPOSITION_ALIAS).toBe('flattr'); // FlattrAliases.Composition in the C# package
	});

	it('manifests_Dashboard_LivesInTheSettingsSection', () => {
		const dashboard = manifests.find((m) => m.type === 'dashboard') as { conditions: Array<{ alias: string; match: string }> };

		expect(dashboard.conditions).toEqual([{ alias: 'Umb.Condition.SectionAlias', match: 'Umb.Section.Settings' }]);
	});

	it('manifests_Aliases_AreUniqueAndNamespaced', () => {
		const aliases = manifests.map((m) => m.alias);

		expect(new Set(aliases).size).toBe(aliases.length);
		expect(aliases.every((a) => a.startsWith('Flattr.'))).toBe(true);
	});

	it('umbracoPackageJson_PointsAtTheBuiltBundle', () => {
		expect(manifest.id).toBe('Flattr.Umbraco');
		expect(manifest.extensions).toEqual([{ type: 'bundle', alias: 'Flattr.Bundle', name: 'Flattr bundle', js: '/App_Plugins/Flattr/flattr.js' }]);
	});
});

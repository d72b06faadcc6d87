// Step forms (Features/Forms/Step.cshtml): add and remove rows of a list of objects. Without this script the page
// still works: it always shows one blank row, and a row left empty is dropped when saved.
(function () {
    'use strict';
    function idOf(name) { return name.replace(/\./g, '-').replace(/\[/g, '-').replace(/\]/g, ''); }
    function renumber(list, name) {
        list.querySelectorAll(':scope > [data-row]').forEach(function (row, index) {
            row.querySelectorAll('[name]').forEach(function (input) {
                input.name = name + input.name.substring(name.length).replace(/^\[\d+\]/, '[' + index + ']');
                if (input.id) { input.id = idOf(input.name); }
            });
            row.querySelectorAll('.form-field').forEach(function (field) {
                var label = field.querySelector(':scope > label[for]');
                var input = field.querySelector(':scope > [id]');
                if (label && input) { label.htmlFor = input.id; }
            });
        });
    }
    document.querySelectorAll('[data-rows]').forEach(function (fieldset) {
        var name = fieldset.getAttribute('data-rows');
        var list = fieldset.querySelector('.row-list');
        var template = fieldset.querySelector('template[data-row-template]');
        var add = fieldset.querySelector('[data-add-row]');
        if (!list || !template || !add) { return; }
        add.hidden = false;
        fieldset.querySelectorAll('[data-remove-row]').forEach(function (b) { b.hidden = false; });
        add.addEventListener('click', function () {
            var index = list.querySelectorAll(':scope > [data-row]').length;
            var html = template.innerHTML.split('__index__').join(String(index));
            var holder = document.createElement('div');
            holder.innerHTML = html;
            var row = holder.firstElementChild;
            row.querySelectorAll('[data-remove-row]').forEach(function (b) { b.hidden = false; });
            list.appendChild(row);
            var first = row.querySelector('input, select, textarea');
            if (first) { first.focus(); }
        });
        list.addEventListener('click', function (event) {
            var button = event.target.closest('[data-remove-row]');
            if (!button) { return; }
            button.closest('[data-row]').remove();
            renumber(list, name);
        });
    });
})();

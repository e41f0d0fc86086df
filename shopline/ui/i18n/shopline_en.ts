<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>ConditionEditors</name>
    <message numerus="yes">
        <source>Month %n</source>
        <translation>
            <numerusform>Month %n</numerusform>
            <numerusform>Month %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%Ln friend(s)</source>
        <translation>
            <numerusform>%Ln friend</numerusform>
            <numerusform>%Ln friends</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TagsPage</name>
    <message numerus="yes">
        <source>Delete the tag “{tag}”? It is removed from %n friend(s); the friends themselves stay.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
</TS>
